package dev.ghostgym.gym.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.spaces.Values;
import dev.ghostgym.gym.testenvs.EpisodeCounterEnv;
import dev.ghostgym.gym.wrappers.ActionMasking;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class VectorEnvTest {
  private static final Discrete ACTIONS = new Discrete(3);

  /** Factories of EpisodeCounterEnvs; env i is stored at made[i] when made is not null. */
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
   * Resets with seed 42 and steps {@code steps} times with masked actions from a seeded generator.
   */
  private static List<Object> drive(VectorEnv<Integer, Integer> env, int steps) {
    List<Object> results = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(77);
    VectorReset<Integer> r = env.resetAll(42L);
    results.add(r);
    List<Map<String, Object>> infos = r.infos();
    for (int t = 0; t < steps; t++) {
      int[] actions = new int[env.numEnvs()];
      for (int i = 0; i < actions.length; i++) {
        actions[i] = ActionMasking.sampleValid(ACTIONS, infos.get(i), rng);
      }
      VectorStep<Integer> s = env.step(actions);
      results.add(s);
      infos = s.infos();
    }
    return results;
  }

  @Test
  void syncAndAsyncGiveIdenticalResultsForAnyNumberOfWorkers() {
    int n = 7;
    List<Object> expected;
    try (SyncVectorEnv<Integer, Integer> sync = new SyncVectorEnv<>(counters(n, null))) {
      expected = drive(sync, 80);
    }
    List<Function<List<Supplier<Env<Integer, Integer>>>, AsyncVectorEnv<Integer, Integer>>>
        variants =
            List.of(
                AsyncVectorEnv::new,
                fns -> new AsyncVectorEnv<>(fns, 1),
                fns -> new AsyncVectorEnv<>(fns, 2),
                fns -> new AsyncVectorEnv<>(fns, 3),
                fns -> new AsyncVectorEnv<>(fns, 7),
                fns -> new AsyncVectorEnv<>(fns, 3, false, 0),
                fns -> new AsyncVectorEnv<>(fns, 2, true, 0));
    for (var variant : variants) {
      try (AsyncVectorEnv<Integer, Integer> async = variant.apply(counters(n, null))) {
        List<Object> got = drive(async, 80);
        for (int t = 0; t < expected.size(); t++) {
          assertEquals(
              expected.get(t), got.get(t), "call " + t + " with " + async.workers() + " workers");
        }
      }
    }
  }

  @Test
  void syncNextStepAutoresetReturnsTheResetObservationWithRewardZero() {
    EpisodeCounterEnv[] made = new EpisodeCounterEnv[3];
    try (SyncVectorEnv<Integer, Integer> env = new SyncVectorEnv<>(counters(3, made))) {
      checkNextStepAutoreset(env, made);
    }
  }

  @Test
  void asyncNextStepAutoresetReturnsTheResetObservationWithRewardZero() {
    EpisodeCounterEnv[] made = new EpisodeCounterEnv[3];
    try (AsyncVectorEnv<Integer, Integer> env = new AsyncVectorEnv<>(counters(3, made), 2)) {
      checkNextStepAutoreset(env, made);
    }
  }

  /**
   * Replays each sub-env on a reference copy: at the step after one ends, the vector env must give
   * exactly the reference's {@code reset()} observation and info, reward 0, no flags, and not step
   * the env.
   */
  private static void checkNextStepAutoreset(
      VectorEnv<Integer, Integer> env, EpisodeCounterEnv[] made) {
    int n = env.numEnvs();
    EpisodeCounterEnv[] reference = new EpisodeCounterEnv[n];
    VectorReset<Integer> r = env.resetAll(10L);
    for (int i = 0; i < n; i++) {
      reference[i] = new EpisodeCounterEnv();
      Reset<Integer> ref = reference[i].reset(10L + i);
      assertEquals(ref.observation(), r.observations().get(i), "env i is seeded with seed + i");
    }
    boolean[] endedBefore = new boolean[n];
    int autoresets = 0;
    int truncations = 0;
    for (int t = 0; t < 40; t++) {
      int[] actions = {t % 3, (t + 1) % 3, (t + 2) % 3};
      int[] callsBefore = Arrays.stream(made).mapToInt(e -> e.stepCalls).toArray();
      VectorStep<Integer> s = env.step(actions);
      for (int i = 0; i < n; i++) {
        if (endedBefore[i]) {
          Reset<Integer> ref = reference[i].reset();
          assertEquals(ref.observation(), s.observation(i), "step " + t + " env " + i);
          assertNull(Values.firstDifference(ref.info(), s.info(i)), "the reset info");
          assertEquals("reset", s.info(i).get("call"));
          assertEquals(0.0, s.rewards()[i]);
          assertFalse(s.terminated()[i] || s.truncated()[i]);
          assertEquals(
              callsBefore[i], made[i].stepCalls, "the action of an autoreset env is ignored");
          autoresets++;
        } else {
          Step<Integer> ref = reference[i].step(actions[i]);
          assertEquals(
              ref.observation(), s.observation(i), "the true final observation at the last step");
          assertEquals(ref.reward(), s.rewards()[i]);
          assertEquals(ref.terminated(), s.terminated()[i]);
          assertEquals(ref.truncated(), s.truncated()[i]);
          truncations += ref.truncated() ? 1 : 0;
        }
        endedBefore[i] = s.done(i);
      }
    }
    assertTrue(autoresets >= 10, "autoresets " + autoresets);
    assertTrue(truncations >= 2, "truncation autoresets too: " + truncations);
  }

  @Test
  void resetAllWithoutSeedContinuesEachGenerator() {
    try (SyncVectorEnv<Integer, Integer> env = new SyncVectorEnv<>(counters(2, null))) {
      env.resetAll(5L);
      VectorReset<Integer> again = env.resetAll(null);
      EpisodeCounterEnv ref = new EpisodeCounterEnv();
      ref.reset(6L);
      assertEquals(ref.reset().observation(), again.observations().get(1));
      assertEquals(AutoresetMode.NEXT_STEP, env.autoresetMode());
      assertEquals(new Discrete(3), env.singleActionSpace());
    }
  }

  @Test
  void misuseAndFailuresAreReportedWithTheEnvIndex() {
    for (boolean async : new boolean[] {false, true}) {
      List<Supplier<Env<Integer, Integer>>> fns = new ArrayList<>(counters(3, null));
      fns.set(2, FailingEnv::new);
      try (VectorEnv<Integer, Integer> env =
          async ? new AsyncVectorEnv<>(fns, 3) : new SyncVectorEnv<>(fns)) {
        assertEquals(
            "Cannot call step() on a vector env before resetAll()",
            assertThrows(IllegalStateException.class, () -> env.step(new int[3])).getMessage());
        env.resetAll(1L);
        assertEquals(
            "step got 2 actions for 3 envs",
            assertThrows(IllegalArgumentException.class, () -> env.step(new int[2])).getMessage());
        IllegalStateException e =
            assertThrows(IllegalStateException.class, () -> env.step(new int[3]));
        assertEquals(
            "sub-env 2 failed in step: java.lang.ArithmeticException: boom",
            e.getMessage(),
            async ? "async" : "sync");
      }
    }
    List<Supplier<Env<Integer, Integer>>> mixed = new ArrayList<>(counters(2, null));
    mixed.add(() -> new FailingEnv(new Discrete(4)));
    String msg =
        assertThrows(IllegalArgumentException.class, () -> new AsyncVectorEnv<>(mixed, 2))
            .getMessage();
    assertEquals(
        "sub-env 2 has spaces (Discrete(1000000), Discrete(4)) but sub-env 0 has (Discrete(1000000),"
            + " Discrete(3)); all must be equal",
        msg);
  }

  @Test
  void closeIsIdempotentAndClosesEachEnvOnce() {
    EpisodeCounterEnv[] made = new EpisodeCounterEnv[4];
    AsyncVectorEnv<Integer, Integer> env = new AsyncVectorEnv<>(counters(4, made), 2);
    env.resetAll(0L);
    env.close();
    env.close();
    for (EpisodeCounterEnv e : made) {
      assertEquals(1, e.closes);
    }
    assertThrows(IllegalStateException.class, () -> env.resetAll(0L));
    EpisodeCounterEnv[] syncMade = new EpisodeCounterEnv[2];
    SyncVectorEnv<Integer, Integer> sync = new SyncVectorEnv<>(counters(2, syncMade));
    sync.close();
    sync.close();
    for (EpisodeCounterEnv e : syncMade) {
      assertEquals(1, e.closes);
    }
  }

  @Test
  void eachAsyncSliceIsCreatedAndSteppedByOneThread() {
    List<ThreadEnv> made = new ArrayList<>();
    List<Supplier<Env<Integer, Integer>>> fns = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int index = i;
      fns.add(
          () -> {
            ThreadEnv e = new ThreadEnv(index);
            synchronized (made) {
              made.add(e);
            }
            return e;
          });
    }
    try (AsyncVectorEnv<Integer, Integer> env = new AsyncVectorEnv<>(fns, 3)) {
      env.resetAll(0L);
      for (int t = 0; t < 20; t++) {
        env.step(new int[6]);
      }
    }
    String caller = Thread.currentThread().getName();
    Map<Integer, ThreadEnv> byIndex = new HashMap<>();
    made.forEach(e -> byIndex.put(e.index, e));
    for (ThreadEnv e : made) {
      assertEquals(Set.of(e.createdBy), e.steppedBy, "env " + e.index + " stays on its thread");
    }
    assertEquals(caller, byIndex.get(0).createdBy, "the caller owns slice 0");
    assertEquals(byIndex.get(0).createdBy, byIndex.get(1).createdBy);
    assertEquals(byIndex.get(2).createdBy, byIndex.get(3).createdBy);
    assertEquals(byIndex.get(4).createdBy, byIndex.get(5).createdBy);
    assertEquals(
        3,
        Set.of(byIndex.get(0).createdBy, byIndex.get(2).createdBy, byIndex.get(4).createdBy)
            .size());
  }

  /** Throws on step; optionally with another action space. */
  static final class FailingEnv extends Env<Integer, Integer> {
    private final Discrete actions;

    FailingEnv() {
      this(new Discrete(3));
    }

    FailingEnv(Discrete actions) {
      this.actions = actions;
    }

    @Override
    public Reset<Integer> reset(Long seed, Map<String, Object> options) {
      return new Reset<>(0, Map.of());
    }

    @Override
    public Step<Integer> step(Integer action) {
      throw new ArithmeticException("boom");
    }

    @Override
    public Space<Integer> observationSpace() {
      return new Discrete(1_000_000);
    }

    @Override
    public Space<Integer> actionSpace() {
      return actions;
    }
  }

  /** Records which threads created, reset and stepped it. */
  static final class ThreadEnv extends Env<Integer, Integer> {
    final int index;
    final String createdBy = Thread.currentThread().getName();
    final Set<String> steppedBy = new HashSet<>();

    ThreadEnv(int index) {
      this.index = index;
    }

    @Override
    public Reset<Integer> reset(Long seed, Map<String, Object> options) {
      steppedBy.add(Thread.currentThread().getName());
      return new Reset<>(0, Map.of());
    }

    @Override
    public Step<Integer> step(Integer action) {
      steppedBy.add(Thread.currentThread().getName());
      return new Step<>(0, 0, false, false, Map.of());
    }

    @Override
    public Space<Integer> observationSpace() {
      return new Discrete(1);
    }

    @Override
    public Space<Integer> actionSpace() {
      return new Discrete(1);
    }
  }

  @Test
  void vectorStepsCompareByContent() {
    VectorStep<Integer> a =
        new VectorStep<>(
            List.of(1),
            new double[] {0.5},
            new boolean[] {true},
            new boolean[] {false},
            List.of(Map.of("m", new int[] {1})));
    VectorStep<Integer> b =
        new VectorStep<>(
            List.of(1),
            new double[] {0.5},
            new boolean[] {true},
            new boolean[] {false},
            List.of(Map.of("m", new int[] {1})));
    assertEquals(a, b);
    assertArrayEquals(new double[] {0.5}, a.rewards());
    assertTrue(a.done(0));
  }
}
