package dev.ghostgym.gym.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.spaces.Box;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.testenvs.CountdownEnv;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BatchStepperTest {
  private static List<Supplier<Env<Map<String, Object>, Integer>>> countdowns(int n) {
    List<Supplier<Env<Map<String, Object>, Integer>>> fns = new ArrayList<>();
    for (int i = 0; i < n; i++) fns.add(() -> new CountdownEnv(Map.of("max_start", 12)));
    return fns;
  }

  private static float[] row(java.nio.FloatBuffer b, int i, int dim) {
    float[] out = new float[dim];
    b.get(i * dim, out, 0, dim);
    return out;
  }

  private static boolean[] maskRow(BatchStepper s, int i) {
    boolean[] m = new boolean[s.actionCount()];
    for (int k = 0; k < m.length; k++) m[k] = s.masks().get(i * m.length + k) != 0;
    return m;
  }

  /**
   * A random allowed action from a mask (the Countdown env throws on a forbidden one); 0 when none
   * is (autoreset).
   */
  private static int allowed(boolean[] mask, SplittableRandom rng) {
    boolean any = false;
    for (boolean b : mask) any |= b;
    if (!any) return 0;
    int k;
    do {
      k = rng.nextInt(mask.length);
    } while (!mask[k]);
    return k;
  }

  @Test
  void buffersHoldExactlyWhatTheVectorEnvReturns() {
    int n = 5;
    try (BatchStepper s = new BatchStepper(new SyncVectorEnv<>(countdowns(n)));
        SyncVectorEnv<Map<String, Object>, Integer> ref = new SyncVectorEnv<>(countdowns(n))) {
      Space<Map<String, Object>> space = ref.singleObservationSpace();
      int dim = space.flatDim();
      assertEquals(12 + 1 + 2 + 3, dim);
      assertEquals(dim, s.flatDim());
      assertEquals(3, s.actionCount());
      assertEquals(4 * n * dim, s.observations().capacity());
      assertTrue(s.observations().isDirect() && s.masks().isDirect() && s.actions().isDirect());
      assertEquals(ByteOrder.nativeOrder(), s.rewards().order());

      s.reset(7L, null);
      VectorReset<Map<String, Object>> r = ref.resetAll(7L);
      var obs = s.observations().asFloatBuffer();
      List<Map<String, Object>> infos = r.infos();
      for (int i = 0; i < n; i++) {
        assertArrayEquals(space.flatten(r.observations().get(i)), row(obs, i, dim));
        assertArrayEquals((boolean[]) infos.get(i).get("action_mask"), maskRow(s, i));
      }
      SplittableRandom rng = new SplittableRandom(3);
      int ended = 0;
      for (int t = 0; t < 60; t++) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = allowed(maskRow(s, i), rng);
        s.actions().asIntBuffer().put(0, a); // as Python writes them
        int done = s.stepFromBuffer();
        VectorStep<Map<String, Object>> v = ref.step(a);
        int expectDone = 0;
        for (int i = 0; i < n; i++) {
          assertArrayEquals(
              space.flatten(v.observation(i)), row(obs, i, dim), "obs of env " + i + " at " + t);
          assertArrayEquals((boolean[]) v.info(i).get("action_mask"), maskRow(s, i));
          assertEquals(v.rewards()[i], s.rewards().asDoubleBuffer().get(i));
          assertEquals(v.terminated()[i] ? 1 : 0, s.terminated().get(i));
          assertEquals(v.truncated()[i] ? 1 : 0, s.truncated().get(i));
          assertEquals(v.info(i).get("remaining"), s.info(i).get("remaining"));
          if (v.done(i)) expectDone++;
        }
        assertEquals(expectDone, done);
        ended += done;
      }
      assertTrue(ended > 10, "episodes must end during the test, ended " + ended);
    }
  }

  @Test
  void sameStepResetsAtOnceAndKeepsTheFinalObservation() {
    int n = 3;
    try (BatchStepper s =
        new BatchStepper(new SyncVectorEnv<>(countdowns(n), AutoresetMode.SAME_STEP))) {
      assertEquals(AutoresetMode.SAME_STEP, s.autoresetMode());
      s.reset(11L, Map.of());
      int dim = s.flatDim();
      var obs = s.observations().asFloatBuffer();
      var fin = s.finalObservations().asFloatBuffer();
      int ends = 0;
      for (int t = 0; t < 40; t++) {
        int[] a = new int[n]; // action 0 always allowed while remaining >= 1: takes 1 per step
        s.step(a);
        for (int i = 0; i < n; i++) {
          if (s.terminated().get(i) == 0) continue;
          ends++;
          Map<String, Object> info = s.info(i);
          assertNotNull(info.get(AutoresetMode.FINAL_OBS));
          assertEquals(0, ((Map<?, ?>) info.get(AutoresetMode.FINAL_INFO)).get("remaining"));
          float[] last = row(fin, i, dim);
          assertEquals(1f, last[0], "final observation is remaining = 0 (one-hot index 0)");
          float[] now = row(obs, i, dim);
          assertEquals(0f, now[0], "the observation is already the next episode's, remaining >= 3");
          assertTrue((Integer) info.get("remaining") >= 3);
        }
      }
      assertTrue(ends >= 3, "every env ends at least once in 40 steps of -1, ended " + ends);
    }
  }

  @Test
  void sameStepGivesNextStepsTrajectoriesWithoutTheAutoresetSteps() {
    int n = 2;
    try (var next = new SyncVectorEnv<>(countdowns(n));
        var same = new SyncVectorEnv<>(countdowns(n), AutoresetMode.SAME_STEP)) {
      next.resetAll(5L);
      same.resetAll(5L);
      List<Double> expected = new ArrayList<>();
      boolean skip = false;
      for (int t = 0; t < 30; t++) {
        VectorStep<Map<String, Object>> v = next.step(new int[n]);
        if (!skip)
          expected.add(v.rewards()[0]); // a step right after an end is the autoreset: no transition
        skip = v.done(0);
      }
      List<Double> got = new ArrayList<>();
      for (int t = 0; t < expected.size(); t++) got.add(same.step(new int[n]).rewards()[0]);
      assertEquals(expected, got);
      assertTrue(expected.size() < 30, "env 0 ended at least once");
    }
  }

  @Test
  void asyncSameStepGivesSyncSameStepsResults() {
    int n = 5;
    try (var sync = new SyncVectorEnv<>(countdowns(n), AutoresetMode.SAME_STEP);
        var async = new AsyncVectorEnv<>(countdowns(n), 2, true, 0, AutoresetMode.SAME_STEP)) {
      assertEquals(AutoresetMode.SAME_STEP, async.autoresetMode());
      assertEquals(sync.resetAll(9L), async.resetAll(9L));
      for (int t = 0; t < 40; t++)
        assertEquals(sync.step(new int[n]), async.step(new int[n]), "step " + t);
    }
  }

  @Test
  void rejectsWrongActionCountsAndNonDiscreteActions() {
    try (BatchStepper s = new BatchStepper(new SyncVectorEnv<>(countdowns(2)))) {
      s.reset(1L, null);
      var e = assertThrows(IllegalArgumentException.class, () -> s.step(new int[3]));
      assertEquals("step got 3 actions for 2 envs", e.getMessage());
    }
    List<Supplier<Env<float[], Integer>>> fns = List.of(BoxActionEnv::new);
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new BatchStepper(new SyncVectorEnv<>(fns)));
    assertTrue(
        e.getMessage().startsWith("BatchStepper needs a Discrete action space"), e.getMessage());
  }

  @Test
  void javaLoopStepsEveryEnvEveryBatch() {
    try (var v = new SyncVectorEnv<>(countdowns(4))) {
      assertEquals(4 * 25, BatchStepper.runFirstAllowed(v, 1, 25));
    }
  }

  @Test
  void makeBuildsTheRegisteredSchedulingEnvsWithTheirFlatSpace() {
    try (BatchStepper s =
        BatchStepper.make(
            "ghost/PickNext-v0",
            2,
            Map.of("tasks", 500, "cpus", 2, "load", 0.9),
            null,
            1,
            AutoresetMode.NEXT_STEP)) {
      Box flat = s.flatObservationSpace();
      assertEquals(s.flatDim(), flat.size());
      assertEquals(17, s.actionCount());
      s.reset(3L, null);
      int steps = 0;
      while (s.step(new int[2]) == 0) steps++;
      assertTrue(steps > 5, "an episode of 500 tasks at load 0.9 has decisions, got " + steps);
      assertTrue(s.info(0).containsKey("metrics") || s.info(1).containsKey("metrics"));
    }
  }

  /** An env with a Box action space, which the stepper refuses. */
  static final class BoxActionEnv extends Env<float[], Integer> {
    @Override
    public dev.ghostgym.gym.Reset<float[]> reset(Long seed, Map<String, Object> options) {
      return new dev.ghostgym.gym.Reset<>(new float[1], Map.of());
    }

    @Override
    public dev.ghostgym.gym.Step<float[]> step(Integer action) {
      return new dev.ghostgym.gym.Step<>(new float[1], 0, true, false, Map.of());
    }

    @Override
    public Space<float[]> observationSpace() {
      return new Box(0f, 1f, 1);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Override
    public Space<Integer> actionSpace() {
      return (Space) new Box(0f, 1f, 1);
    }
  }
}
