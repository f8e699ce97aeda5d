package dev.ghostgym.gym.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.testenvs.EpisodeCounterEnv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PoolVectorEnvTest {
  private static List<Supplier<Env<Integer, Integer>>> counters(int n, EpisodeCounterEnv[] made) {
    List<Supplier<Env<Integer, Integer>>> fns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      fns.add(
          () -> {
            EpisodeCounterEnv e = new EpisodeCounterEnv();
            if (made != null) {
              made[index] = e;
            }
            return e;
          });
    }
    return fns;
  }

  /**
   * A policy that depends only on the env id and its last observation, so per-id trajectories are
   * comparable.
   */
  private static int policy(int id, int observation) {
    return Math.floorMod(observation * 7 + id, 3);
  }

  private static String entry(
      int obs, double reward, boolean term, boolean trunc, Map<String, Object> info) {
    return obs
        + "/"
        + reward
        + "/"
        + term
        + "/"
        + trunc
        + "/"
        + info.get("episode")
        + "/"
        + info.get("t")
        + "/"
        + info.get("call");
  }

  /** Per env id: the reset entry then {@code steps} step entries, stepping all envs in lockstep. */
  private static List<List<String>> syncTrajectories(int n, int steps) {
    List<List<String>> out = new ArrayList<>();
    try (SyncVectorEnv<Integer, Integer> sync = new SyncVectorEnv<>(counters(n, null))) {
      VectorReset<Integer> r = sync.resetAll(42L);
      int[] last = new int[n];
      for (int i = 0; i < n; i++) {
        out.add(
            new ArrayList<>(
                List.of(entry(r.observations().get(i), 0, false, false, r.infos().get(i)))));
        last[i] = r.observations().get(i);
      }
      for (int t = 0; t < steps; t++) {
        int[] actions = new int[n];
        for (int i = 0; i < n; i++) {
          actions[i] = policy(i, last[i]);
        }
        VectorStep<Integer> s = sync.step(actions);
        for (int i = 0; i < n; i++) {
          out.get(i)
              .add(
                  entry(
                      s.observation(i),
                      s.rewards()[i],
                      s.terminated()[i],
                      s.truncated()[i],
                      s.info(i)));
          last[i] = s.observation(i);
        }
      }
    }
    return out;
  }

  @Test
  void asyncTrajectoriesPerEnvIdEqualSyncVectorEnvsForAnyThreadsAndBatch() {
    int n = 6;
    int steps = 40;
    List<List<String>> expected = syncTrajectories(n, steps);
    for (int[] cfg :
        new int[][] {{2, 3, 0}, {3, 1, 1}, {1, 2, 0}, {6, 4, 1}, {6, 6, 0}, {2, 1, 1}}) {
      int batch = cfg[0];
      List<List<String>> got = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        got.add(new ArrayList<>());
      }
      try (PoolVectorEnv<Integer, Integer> pool =
          new PoolVectorEnv<>(counters(n, null), batch, cfg[1], 10_000, cfg[2] == 1)) {
        pool.asyncReset(42L, null);
        Object[] actions = new Object[batch];
        int[] ids = new int[batch];
        while (got.stream().anyMatch(l -> l.size() < steps + 1)) {
          PoolBatch<Integer> b = pool.recv();
          assertEquals(batch, b.size());
          for (int k = 0; k < b.size(); k++) {
            int id = b.envId(k);
            got.get(id)
                .add(
                    entry(
                        b.observation(k), b.reward(k), b.terminated(k), b.truncated(k), b.info(k)));
            ids[k] = id;
            actions[k] = policy(id, b.observation(k));
          }
          pool.send(actions, ids, b.size());
        }
        while (pool.inFlight() >= batch) {
          pool.recv();
        }
      }
      for (int i = 0; i < n; i++) {
        assertEquals(
            expected.get(i),
            got.get(i).subList(0, steps + 1),
            "batch " + batch + " threads " + cfg[1] + " env " + i);
      }
    }
  }

  @Test
  void synchronousApiGivesExactlySyncVectorEnvResults() {
    int n = 5;
    try (SyncVectorEnv<Integer, Integer> sync = new SyncVectorEnv<>(counters(n, null));
        PoolVectorEnv<Integer, Integer> pool =
            new PoolVectorEnv<>(counters(n, null), 2, 2, 10_000)) {
      assertEquals(sync.resetAll(7L), pool.resetAll(7L));
      for (int t = 0; t < 30; t++) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
          a[i] = (t + i) % 3;
        }
        assertEquals(sync.step(a), pool.step(a), "step " + t);
      }
      assertEquals(sync.resetAll(null), pool.resetAll(null));
      assertEquals(sync.step(new int[n]), pool.step(new int[n]));
    }
  }

  @Test
  void autoresetIgnoresTheActionAndReturnsTheResetObservation() {
    EpisodeCounterEnv[] made = new EpisodeCounterEnv[1];
    try (PoolVectorEnv<Integer, Integer> pool = new PoolVectorEnv<>(counters(1, made), 1, 1, 0)) {
      pool.asyncReset(3L, null);
      PoolBatch<Integer> b = pool.recv();
      assertEquals("reset", b.info(0).get("call"));
      int episodes = 0;
      int stepsBeforeAutoreset = -1;
      for (int t = 0; t < 30; t++) {
        boolean wasDone = b.done(0);
        int callsBefore = made[0].stepCalls;
        pool.send(new Object[] {2}, new int[] {0});
        b = pool.recv();
        if (wasDone) {
          episodes++;
          assertEquals(callsBefore, made[0].stepCalls, "autoreset must not step the env");
          assertEquals("reset", b.info(0).get("call"));
          assertEquals(episodes, b.info(0).get("episode"));
          assertEquals(0.0, b.reward(0));
          assertFalse(b.terminated(0) || b.truncated(0));
          stepsBeforeAutoreset = 0;
        } else {
          assertEquals(callsBefore + 1, made[0].stepCalls);
          assertEquals("step", b.info(0).get("call"));
        }
      }
      assertTrue(
          episodes >= 4, "episodes last 2 to 5 steps, so 30 steps end at least 4: " + episodes);
      assertEquals(0, stepsBeforeAutoreset);
    }
  }

  @Test
  void recvReturnsEachSentIdExactlyOnceAndValidatesIds() {
    int n = 8;
    try (PoolVectorEnv<Integer, Integer> pool =
        new PoolVectorEnv<>(counters(n, null), 4, 2, 10_000)) {
      assertThrows(
          IllegalArgumentException.class,
          () -> pool.send(new Object[] {0}, new int[] {0}),
          "an env never reset cannot be stepped");
      pool.asyncReset(1L, null);
      assertEquals(n, pool.inFlight());
      assertThrows(
          IllegalArgumentException.class, () -> pool.send(new Object[] {0}, new int[] {3}));
      int[] seen = new int[n];
      for (int round = 0; round < 2; round++) {
        PoolBatch<Integer> b = pool.recv();
        for (int k = 0; k < b.size(); k++) {
          seen[b.envId(k)]++;
          assertEquals("reset", b.info(k).get("call"));
          assertEquals(0, b.info(k).get("episode"));
        }
      }
      int[] ones = new int[n];
      Arrays.fill(ones, 1);
      assertEquals(Arrays.toString(ones), Arrays.toString(seen));
      assertEquals(0, pool.inFlight());
      IllegalStateException tooFew = assertThrows(IllegalStateException.class, pool::recv);
      assertTrue(tooFew.getMessage().contains("only 0 envs in flight"), tooFew.getMessage());
      pool.send(new Object[] {0, 1, 2}, new int[] {5, 1, 6});
      IllegalArgumentException twice =
          assertThrows(
              IllegalArgumentException.class,
              () -> pool.send(new Object[] {0, 0}, new int[] {2, 5}));
      assertTrue(twice.getMessage().contains("env id 5 is already in flight"), twice.getMessage());
      assertEquals(3, pool.inFlight(), "a rejected send changes nothing");
      assertThrows(
          IllegalArgumentException.class, () -> pool.send(new Object[] {0}, new int[] {8}));
      pool.send(new Object[] {0}, new int[] {2});
      PoolBatch<Integer> b = pool.recv();
      int[] ids = b.envIds();
      Arrays.sort(ids);
      assertEquals("[1, 2, 5, 6]", Arrays.toString(ids));
    }
  }

  /** Fails on step {@code failAt}. */
  private static final class FailingEnv extends Env<Integer, Integer> {
    private final int failAt;
    private int steps;

    FailingEnv(int failAt) {
      this.failAt = failAt;
    }

    @Override
    public Reset<Integer> reset(Long seed, Map<String, Object> options) {
      return new Reset<>(0, Map.of());
    }

    @Override
    public Step<Integer> step(Integer action) {
      if (++steps == failAt) {
        throw new IllegalStateException("boom");
      }
      return new Step<>(steps, 1, false, false, Map.of());
    }

    @Override
    public Space<Integer> observationSpace() {
      return new Discrete(10);
    }

    @Override
    public Space<Integer> actionSpace() {
      return new Discrete(2);
    }
  }

  @Test
  void aSubEnvFailureIsRethrownNamingTheEnvId() {
    List<Supplier<Env<Integer, Integer>>> fns =
        List.of(() -> new FailingEnv(99), () -> new FailingEnv(3));
    try (PoolVectorEnv<Integer, Integer> pool = new PoolVectorEnv<>(fns, 2, 2, 0)) {
      pool.resetAll(0L);
      pool.step(new int[] {0, 0});
      pool.step(new int[] {0, 0});
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> pool.step(new int[] {0, 0}));
      assertTrue(e.getMessage().startsWith("sub-env 1 failed in step"), e.getMessage());
      assertEquals(0, pool.inFlight(), "the failed batch is fully received");
    }
  }

  @Test
  void badConstructionAndUseAfterCloseAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new PoolVectorEnv<>(counters(2, null), 3));
    assertThrows(IllegalArgumentException.class, () -> new PoolVectorEnv<>(counters(2, null), 0));
    PoolVectorEnv<Integer, Integer> pool = new PoolVectorEnv<>(counters(2, null), 1);
    EpisodeCounterEnv[] made = new EpisodeCounterEnv[2];
    pool.close();
    pool.close();
    assertThrows(IllegalStateException.class, () -> pool.resetAll(0L));
    PoolVectorEnv<Integer, Integer> second = new PoolVectorEnv<>(counters(2, made), 2);
    second.close();
    assertEquals(1, made[0].closes);
    assertEquals(1, made[1].closes);
  }
}
