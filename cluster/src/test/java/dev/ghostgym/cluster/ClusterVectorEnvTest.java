package dev.ghostgym.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.vector.SyncVectorEnv;
import dev.ghostgym.gym.vector.VectorReset;
import dev.ghostgym.gym.vector.VectorStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 17's acceptance: three cluster nodes (actor systems on 127.0.0.1, free ports) in this JVM,
 * 12 envs spread over them by Cluster Sharding, stepped in batches; the same seeds give the same
 * trajectories as a local SyncVectorEnv; then one node leaves mid-episode and exactly its envs'
 * episodes are reported truncated with the reason, re-created on the others, nothing else lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterVectorEnvTest {
  private static final int ENVS = 12;
  private static final Map<String, Object> OPTIONS = Map.of("size", 7);
  private static EnvNode learner;
  private static EnvNode b;
  private static EnvNode c;

  @BeforeAll
  static void formCluster() throws InterruptedException {
    WalkEnv.register();
    ClusterSettings base =
        ClusterSettings.load()
            .withPort(0)
            .withStepTimeout(Duration.ofSeconds(2))
            .withResetTimeout(Duration.ofSeconds(10));
    learner =
        EnvNode.start(base.withRoles(List.of(ClusterSettings.LEARNER, ClusterSettings.WORKER)));
    String seed = "127.0.0.1:" + learner.address().getPort().get();
    b = EnvNode.start(base.withSeedNodes(List.of(seed)).withRoles(List.of(ClusterSettings.WORKER)));
    c = EnvNode.start(base.withSeedNodes(List.of(seed)).withRoles(List.of(ClusterSettings.WORKER)));
    for (EnvNode node : List.of(learner, b, c)) {
      assertTrue(
          node.awaitUp(3, Duration.ofSeconds(20)), "3 nodes up as seen by " + node.address());
    }
    assertTrue(learner.awaitWorkers(3, Duration.ofSeconds(20)), "3 shard regions registered");
  }

  @AfterAll
  static void stop() {
    for (EnvNode node : new EnvNode[] {c, b, learner}) {
      if (node != null) {
        node.close();
      }
    }
  }

  private static int policy(boolean[] mask, int t, int i) {
    int a = (t + i) % 3;
    return mask[a] ? a : 1;
  }

  @SuppressWarnings("unchecked")
  private static SyncVectorEnv<float[], Integer> local() {
    List<Supplier<Env<float[], Integer>>> fns = new ArrayList<>();
    for (int i = 0; i < ENVS; i++) {
      fns.add(() -> (Env<float[], Integer>) (Env<?, ?>) Gym.make(WalkEnv.ID, OPTIONS));
    }
    return new SyncVectorEnv<>(fns);
  }

  @Test
  @Order(1)
  void envsSpreadOverThreeNodesAndFollowLocalTrajectories() {
    ClusterVectorEnv<float[]> remote = new ClusterVectorEnv<>(learner, WalkEnv.ID, OPTIONS, ENVS);
    try (SyncVectorEnv<float[], Integer> local = local()) {
      VectorReset<float[]> lr = local.resetAll(100L);
      VectorReset<float[]> rr = remote.resetAll(100L);
      for (int i = 0; i < ENVS; i++) {
        assertArrayEquals(
            lr.observations().get(i), rr.observations().get(i), "reset obs of env " + i);
      }
      Set<String> nodes = new HashSet<>();
      for (int i = 0; i < ENVS; i++) {
        nodes.add(remote.nodeOf(i));
      }
      assertEquals(3, nodes.size(), "12 envs on 3 nodes: " + nodes);
      List<Map<String, Object>> infos = lr.infos();
      int ends = 0;
      for (int t = 0; t < 40; t++) {
        int[] a = new int[ENVS];
        for (int i = 0; i < ENVS; i++) {
          a[i] = policy((boolean[]) infos.get(i).get("action_mask"), t, i);
        }
        VectorStep<float[]> ls = local.step(a);
        VectorStep<float[]> rs = remote.step(a);
        for (int i = 0; i < ENVS; i++) {
          String at = "env " + i + " step " + t;
          assertArrayEquals(ls.observations().get(i), rs.observations().get(i), at);
          assertEquals(ls.rewards()[i], rs.rewards()[i], at);
          assertEquals(ls.terminated()[i], rs.terminated()[i], at);
          assertEquals(ls.truncated()[i], rs.truncated()[i], at);
          assertArrayEquals(
              (boolean[]) ls.info(i).get("action_mask"),
              (boolean[]) rs.info(i).get("action_mask"),
              at);
          assertEquals(((Number) ls.info(i).get("t")).doubleValue(), rs.info(i).get("t"), at);
          assertEquals(ls.info(i).get("phase"), rs.info(i).get("phase"), at);
          ends += ls.done(i) ? 1 : 0;
        }
        infos = ls.infos();
      }
      assertTrue(ends >= ENVS, "episodes ended and were autoreset: " + ends);
      assertEquals(0, remote.lostEpisodes());
    }
  }

  /**
   * The asynchronous API: envs sent in 3 groups, each node's answer acted on and sent back as it
   * comes. Whatever order the answers arrive in, each env's trajectory is the one a local env gives
   * with the same seed, actions and next-step autoreset.
   */
  @Test
  @Order(2)
  void sendRecvGivesEachEnvItsLocalTrajectoryWhateverTheOrderOfAnswers() {
    ClusterVectorEnv<float[]> remote = new ClusterVectorEnv<>(learner, WalkEnv.ID, OPTIONS, ENVS);
    List<Env<float[], Integer>> locals = new ArrayList<>();
    boolean[] autoreset = new boolean[ENVS];
    int[] t = new int[ENVS];
    VectorReset<float[]> rr = remote.resetAll(500L);
    List<boolean[]> masks = new ArrayList<>();
    for (int i = 0; i < ENVS; i++) {
      @SuppressWarnings("unchecked")
      Env<float[], Integer> e = (Env<float[], Integer>) (Env<?, ?>) Gym.make(WalkEnv.ID, OPTIONS);
      locals.add(e);
      assertArrayEquals(e.reset(500L + i, null).observation(), rr.observations().get(i));
      masks.add((boolean[]) rr.infos().get(i).get("action_mask"));
    }
    int[] sentAction = new int[ENVS];
    for (int g = 0; g < 3; g++) {
      int[] ids = new int[ENVS], acts = new int[ENVS];
      int c = 0;
      for (int i = g; i < ENVS; i += 3) {
        ids[c] = i;
        acts[c++] = sentAction[i] = policy(masks.get(i), 0, i);
      }
      remote.send(acts, ids, c);
    }
    assertEquals(ENVS, remote.inFlight());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> remote.send(new int[] {1}, new int[] {0}, 1));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> remote.step(new int[ENVS]));
    int answers = 0, stepped = 0, ends = 0;
    while (stepped < ENVS * 30) {
      ClusterBatch<float[]> b = remote.recv();
      answers++;
      int[] acts = new int[b.size()];
      for (int k = 0; k < b.size(); k++) {
        int i = b.envIds()[k];
        String at = "env " + i + " step " + t[i];
        float[] want;
        if (autoreset[i]) {
          want = locals.get(i).reset(null, null).observation();
          assertEquals(0.0, b.rewards()[k], at);
          autoreset[i] = false;
        } else {
          var st = locals.get(i).step(sentAction[i]);
          want = st.observation();
          assertEquals(st.reward(), b.rewards()[k], at);
          assertEquals(st.terminated(), b.terminated()[k], at);
          assertEquals(st.truncated(), b.truncated()[k], at);
          autoreset[i] = st.terminated() || st.truncated();
          ends += autoreset[i] ? 1 : 0;
        }
        assertArrayEquals(want, b.observations().get(k), at);
        assertNull(b.infos().get(k).get(ClusterVectorEnv.TRUNCATED_REASON), at);
        t[i]++;
        acts[k] = sentAction[i] = policy((boolean[]) b.infos().get(k).get("action_mask"), t[i], i);
      }
      stepped += b.size();
      remote.send(acts, b.envIds(), b.size());
    }
    while (remote.inFlight() > 0) {
      remote.recv();
    }
    assertTrue(answers >= 3 * 30, "one answer per node per group: " + answers);
    assertTrue(ends >= ENVS, "episodes ended and were autoreset: " + ends);
    assertEquals(0, remote.lostEpisodes());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, remote::recv);
  }

  @Test
  @Order(3)
  void aNodeLeavingMidEpisodeTruncatesExactlyItsEpisodes() {
    ClusterVectorEnv<float[]> remote = new ClusterVectorEnv<>(learner, WalkEnv.ID, OPTIONS, ENVS);
    VectorReset<float[]> r = remote.resetAll(7L);
    List<Map<String, Object>> infos = r.infos();
    VectorStep<float[]> s = null;
    for (int t = 0; t < 3; t++) {
      int[] a = new int[ENVS];
      for (int i = 0; i < ENVS; i++) {
        a[i] = policy((boolean[]) infos.get(i).get("action_mask"), t, i);
      }
      s = remote.step(a);
      infos = s.infos();
    }
    String gone = c.address().toString();
    List<Integer> onGone = new ArrayList<>();
    int inProgress = 0;
    for (int i = 0; i < ENVS; i++) {
      if (gone.equals(remote.nodeOf(i))) {
        onGone.add(i);
        inProgress += s.done(i) ? 0 : 1;
      }
    }
    assertFalse(onGone.isEmpty(), "node c hosts envs");
    c.close();
    int[] stay = new int[ENVS];
    for (int i = 0; i < ENVS; i++) {
      stay[i] = 1; // always allowed
    }
    long t0 = System.nanoTime();
    VectorStep<float[]> cut = remote.step(stay);
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(15).toNanos(), "no hang");
    for (int i = 0; i < ENVS; i++) {
      Object reason = cut.info(i).get(ClusterVectorEnv.TRUNCATED_REASON);
      if (onGone.contains(i)) {
        assertTrue(cut.truncated()[i], "env " + i + " on the stopped node is truncated");
        assertFalse(cut.terminated()[i]);
        assertEquals(0.0, cut.rewards()[i]);
        assertTrue(
            reason != null && reason.toString().contains(gone.replace("pekko://", "")),
            "reason names the node: " + reason);
        assertArrayEquals(
            s.observations().get(i), cut.observations().get(i), "last observation kept");
      } else {
        assertNull(reason, "env " + i + " is not touched by the fault");
      }
    }
    assertEquals(
        inProgress,
        remote.lostEpisodes(),
        "exactly the episodes in progress on the stopped node are lost");
    VectorStep<float[]> next = remote.step(stay);
    Set<String> nodes = new HashSet<>();
    for (int i = 0; i < ENVS; i++) {
      nodes.add(remote.nodeOf(i));
      assertNull(next.info(i).get(ClusterVectorEnv.TRUNCATED_REASON), "env " + i + " is back");
      if (onGone.contains(i)) {
        assertEquals(0.0, next.rewards()[i], "the re-created env " + i + " starts an episode");
        assertFalse(next.done(i));
        assertEquals(0.0, next.info(i).get("t"));
      }
    }
    assertFalse(nodes.contains(gone), "no env left on the stopped node");
    assertEquals(2, nodes.size(), "envs on the two remaining nodes: " + nodes);
    for (int t = 0; t < 5; t++) {
      VectorStep<float[]> more = remote.step(stay);
      for (int i = 0; i < ENVS; i++) {
        assertNull(more.info(i).get(ClusterVectorEnv.TRUNCATED_REASON));
      }
    }
    assertEquals(inProgress, remote.lostEpisodes());
    assertNotEquals(0, onGone.size());
  }

  @Test
  @Order(4)
  void aSilentNodeTurnsIntoTruncatedEpisodesAfterTheStepTimeout() {
    Map<String, Object> stalling = Map.of("size", 7, "stall_ms", 3_000, "stall_seed", 205);
    ClusterVectorEnv<float[]> remote =
        new ClusterVectorEnv<>(
            learner.system(),
            WalkEnv.ID,
            stalling,
            ENVS,
            Duration.ofMillis(1_500),
            Duration.ofSeconds(10));
    remote.resetAll(200L); // env 5 gets seed 205: its node falls silent in the next step
    String silent = remote.nodeOf(5);
    List<Integer> onSilent = new ArrayList<>();
    for (int i = 0; i < ENVS; i++) {
      if (silent.equals(remote.nodeOf(i))) {
        onSilent.add(i);
      }
    }
    int[] stay = new int[ENVS];
    java.util.Arrays.fill(stay, 1);
    long t0 = System.nanoTime();
    VectorStep<float[]> cut = remote.step(stay);
    long waited = System.nanoTime() - t0;
    assertTrue(
        waited >= Duration.ofMillis(1_400).toNanos() && waited < Duration.ofMillis(2_900).toNanos(),
        "the step waits for the timeout, not for the stalled env: " + waited / 1_000_000 + " ms");
    int truncatedByFault = 0;
    for (int i = 0; i < ENVS; i++) {
      Object reason = cut.info(i).get(ClusterVectorEnv.TRUNCATED_REASON);
      if (reason != null) {
        truncatedByFault++;
        assertTrue(onSilent.contains(i), "only envs of the silent node: env " + i);
        assertTrue(cut.truncated()[i]);
        assertTrue(reason.toString().contains("did not answer within PT1.5S"), reason.toString());
      }
    }
    assertEquals(onSilent.size(), truncatedByFault, "every env of the silent node, nothing else");
    assertEquals(onSilent.size(), remote.lostEpisodes());
    VectorStep<float[]> next = remote.step(stay); // re-created (the node answers again)
    for (int i = 0; i < ENVS; i++) {
      assertNull(next.info(i).get(ClusterVectorEnv.TRUNCATED_REASON), "env " + i + " recovered");
    }
    for (int i : onSilent) {
      assertEquals(0.0, next.info(i).get("t"), "env " + i + " starts a new episode");
    }
  }
}
