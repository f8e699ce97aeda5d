package dev.ghostgym.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.vector.VectorReset;
import dev.ghostgym.gym.vector.VectorStep;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker that crashes hard: a real worker JVM ({@link ChildWorker}, started from this test's
 * class path) joins a cluster of two nodes in this JVM, hosts some of 12 envs and is killed with
 * SIGKILL ({@link Process#destroyForcibly}) mid-episode, so it never leaves the cluster. The step
 * timeout turns its silence into truncated episodes with the reason in the info, the split-brain
 * resolver (keep-majority: 2 of 3 remain) downs it, and the envs are re-created on the two
 * remaining nodes; exact counts, and no step waits longer than its timeout.
 */
class WorkerCrashTest {
  private static final int ENVS = 12;
  private static final Map<String, Object> OPTIONS = Map.of("size", 9);
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration RESET_TIMEOUT = Duration.ofSeconds(6);
  private static EnvNode learner;
  private static EnvNode b;
  private static Process child;
  private static final BlockingQueue<String> childOut = new LinkedBlockingQueue<>();

  @BeforeAll
  static void formCluster() throws Exception {
    WalkEnv.register();
    ClusterSettings base =
        ClusterSettings.load()
            .withPort(0)
            .withStepTimeout(STEP_TIMEOUT)
            .withResetTimeout(RESET_TIMEOUT);
    learner =
        EnvNode.start(base.withRoles(List.of(ClusterSettings.LEARNER, ClusterSettings.WORKER)));
    String seed = "127.0.0.1:" + learner.address().getPort().get();
    b = EnvNode.start(base.withSeedNodes(List.of(seed)).withRoles(List.of(ClusterSettings.WORKER)));
    child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                ChildWorker.class.getName(),
                seed,
                "3")
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(childOut::add);
              } catch (java.io.IOException e) {
                childOut.add("read failed: " + e);
              }
            },
            "child-worker-output");
    reader.setDaemon(true);
    reader.start();
    String line;
    List<String> seen = new ArrayList<>();
    while ((line = childOut.poll(90, TimeUnit.SECONDS)) != null && !line.startsWith("UP ")) {
      seen.add(line);
    }
    assertTrue(line != null, "the child worker came up; it printed " + seen);
    assertTrue(learner.awaitUp(3, Duration.ofSeconds(30)), "3 members up");
    assertTrue(learner.awaitWorkers(3, Duration.ofSeconds(30)), "3 shard regions registered");
  }

  @AfterAll
  static void stop() {
    if (child != null) child.destroyForcibly();
    for (EnvNode n : new EnvNode[] {b, learner}) if (n != null) n.close();
  }

  @Test
  void aKilledWorkerJvmTruncatesExactlyItsEpisodesAndItsEnvsComeBackOnTheOthers() throws Exception {
    ClusterVectorEnv<float[]> env = new ClusterVectorEnv<>(learner, WalkEnv.ID, OPTIONS, ENVS);
    VectorReset<float[]> r = env.resetAll(300L);
    String childNode = null;
    for (int i = 0; i < ENVS; i++) {
      String n = env.nodeOf(i);
      if (!n.equals(learner.address().toString()) && !n.equals(b.address().toString())) {
        childNode = n;
      }
    }
    assertTrue(childNode != null, "the child JVM hosts envs");
    int[] stay = new int[ENVS];
    Arrays.fill(stay, 1); // always allowed; a walk that stays ends only by truncation at t = 12
    VectorStep<float[]> before = null;
    for (int t = 0; t < 3; t++) before = env.step(stay);
    List<Integer> onChild = new ArrayList<>();
    int inProgress = 0;
    for (int i = 0; i < ENVS; i++) {
      if (childNode.equals(env.nodeOf(i))) {
        onChild.add(i);
        inProgress += before.done(i) ? 0 : 1;
      }
    }
    assertEquals(onChild.size(), inProgress, "every episode on the child is in progress");

    child.destroyForcibly(); // SIGKILL: no leave, no goodbye to the cluster
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, child.exitValue(), "killed by SIGKILL");

    long t0 = System.nanoTime();
    VectorStep<float[]> cut = env.step(stay);
    long waited = System.nanoTime() - t0;
    assertTrue(
        waited < STEP_TIMEOUT.plusSeconds(3).toNanos(),
        "the step ends at the step timeout: " + waited / 1_000_000 + " ms");
    for (int i = 0; i < ENVS; i++) {
      Object reason = cut.info(i).get(ClusterVectorEnv.TRUNCATED_REASON);
      if (onChild.contains(i)) {
        assertTrue(cut.truncated()[i], "env " + i + " of the killed worker is truncated");
        assertFalse(cut.terminated()[i]);
        assertEquals(0.0, cut.rewards()[i]);
        assertEquals(
            "node " + childNode + " did not answer within PT2S",
            reason.toString().substring(0, reason.toString().indexOf(" (")),
            "the reason names the node and the timeout");
        assertArrayEquals(before.observations().get(i), cut.observations().get(i));
      } else {
        assertNull(reason, "env " + i + " is not touched");
        assertFalse(cut.truncated()[i]);
      }
    }
    assertEquals(inProgress, env.lostEpisodes(), "exactly the killed worker's episodes are lost");

    // the lost envs come back once the split-brain resolver has downed the dead node: until then
    // a re-creation may time out (reported truncated again, not counted again); never a hang
    int steps = 0;
    boolean back = false;
    Set<Integer> recovered = new HashSet<>();
    while (!back) {
      assertTrue(++steps <= 6, "envs re-created within 6 steps");
      long s0 = System.nanoTime();
      VectorStep<float[]> st = env.step(stay);
      assertTrue(
          System.nanoTime() - s0 < RESET_TIMEOUT.plusSeconds(3).toNanos(),
          "a step waits at most the reset timeout");
      back = true;
      for (int i = 0; i < ENVS; i++) {
        Object reason = st.info(i).get(ClusterVectorEnv.TRUNCATED_REASON);
        if (reason != null) {
          assertTrue(onChild.contains(i), "only the killed worker's envs: env " + i);
          assertTrue(st.truncated()[i]);
          back = false;
        } else if (onChild.contains(i) && recovered.add(i)) {
          assertEquals(0.0, st.info(i).get("t"), "env " + i + " re-created: a new episode");
          assertEquals(0.0, st.rewards()[i]);
        }
      }
    }
    Set<String> nodes = new HashSet<>();
    for (int i = 0; i < ENVS; i++) nodes.add(env.nodeOf(i));
    assertEquals(
        Set.of(learner.address().toString(), b.address().toString()),
        nodes,
        "every env on the two remaining nodes");
    for (Member m : Cluster.get(learner.system()).state().getMembers()) {
      assertFalse(m.address().toString().equals(childNode), "the dead node was downed and removed");
    }
    for (int t = 0; t < 4; t++) {
      VectorStep<float[]> st = env.step(stay);
      for (int i = 0; i < ENVS; i++) {
        assertNull(st.info(i).get(ClusterVectorEnv.TRUNCATED_REASON), "env " + i + " healthy");
      }
    }
    assertEquals(inProgress, env.lostEpisodes(), "nothing else was lost");
  }
}
