package dev.ghostgym.gym.wrappers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Box;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.testenvs.CountdownEnv;
import dev.ghostgym.gym.testenvs.ScriptedEnv;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ObservationAndActionWrappersTest {
  /** Records the last action it was given; the action space is Box([-1, 0], [1, 2]). */
  static final class BoxActionEnv extends Env<Integer, float[]> {
    float[] last;

    @Override
    public Reset<Integer> reset(Long seed, Map<String, Object> options) {
      return new Reset<>(0, Map.of());
    }

    @Override
    public Step<Integer> step(float[] action) {
      last = action;
      return new Step<>(0, 0, false, false, Map.of());
    }

    @Override
    public Space<Integer> observationSpace() {
      return new Discrete(1);
    }

    @Override
    public Space<float[]> actionSpace() {
      return new Box(new float[] {-1f, 0f}, new float[] {1f, 2f});
    }
  }

  @Test
  void flattenObservationOneHotsTheDictInKeyOrder() {
    CountdownEnv raw = new CountdownEnv(Map.of());
    FlattenObservation<Map<String, Object>, Integer> flat =
        new FlattenObservation<>(new CountdownEnv(Map.of()));
    assertEquals("Box(0.0, 1.0, (16,), float32)", flat.observationSpace().toString());
    Map<String, Object> rawObs = raw.reset(3).observation();
    float[] obs = flat.reset(3).observation();
    int remaining = (Integer) rawObs.get("remaining");
    float[] noise = (float[]) rawObs.get("noise");
    float[] expected = new float[16];
    expected[remaining] = 1f;
    expected[11] = noise[0];
    expected[12] = noise[1];
    assertArrayEquals(expected, obs);
    float[] next = flat.step(0).observation();
    Map<String, Object> rawNext = raw.step(0).observation();
    assertArrayEquals(raw.observationSpace().flatten(rawNext), next);
    assertEquals(1f, next[13], "last_action one-hot of action 0");
    assertTrue(flat.observationSpace().contains(next));
  }

  @Test
  void clipActionClipsIntoTheBoundsAndAdvertisesAnUnboundedBox() {
    BoxActionEnv inner = new BoxActionEnv();
    ClipAction<Integer> env = new ClipAction<>(inner);
    assertEquals("Box(-inf, inf, (2,), float32)", env.actionSpace().toString());
    env.reset();
    float[] action = {-5f, 1.5f};
    env.step(action);
    assertArrayEquals(new float[] {-1f, 1.5f}, inner.last);
    assertArrayEquals(new float[] {-5f, 1.5f}, action, "the caller's array is untouched");
    env.step(new float[] {3f, 7f});
    assertArrayEquals(new float[] {1f, 2f}, inner.last);
    env.step(new float[] {Float.NaN, -1f});
    assertTrue(Float.isNaN(inner.last[0]));
    assertEquals(0f, inner.last[1]);
    assertThrows(IllegalArgumentException.class, () -> env.step(new float[3]));
    String msg =
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClipAction<>((Env<Integer, float[]>) (Env<?, ?>) new ScriptedEnv(0, 1.0)))
            .getMessage();
    assertEquals(
        "ClipAction needs a Box action space, <ScriptedEnv instance> has Discrete(4)", msg);
  }

  @Test
  void actionMaskingReadsTheMaskAndSamplesOnlyAllowedActions() {
    ActionMasking<Map<String, Object>> env = new ActionMasking<>(new CountdownEnv(Map.of()));
    SplittableRandom rng = new SplittableRandom(8);
    int episodes = 0;
    int steps = 0;
    CountdownEnv inner = (CountdownEnv) env.unwrapped();
    env.reset(11);
    while (episodes < 30) {
      int r = inner.remaining();
      assertArrayEquals(new boolean[] {r >= 1, r >= 2, r >= 3}, env.actionMask());
      assertEquals(r >= 3, env.isValid(2));
      assertFalse(env.isValid(3));
      Step<Map<String, Object>> s =
          env.step(env.sampleValid(rng)); // CountdownEnv throws on invalid actions
      steps++;
      if (s.terminated()) {
        assertArrayEquals(new boolean[3], env.actionMask());
        assertEquals(0, env.sampleValid(rng), "nothing allowed: start, as Gymnasium");
        episodes++;
        env.reset();
      }
    }
    assertTrue(steps > 60);
    assertSame(env, Wrapper.find(new TimeLimit<>(env, 5), ActionMasking.class).orElseThrow());
  }

  @Test
  void maskOfAcceptsIntAndByteMasksAndNamesBadOnes() {
    Discrete space = new Discrete(3);
    assertArrayEquals(
        new boolean[] {true, false, true},
        ActionMasking.maskOf(Map.of("action_mask", new int[] {1, 0, 1}), space));
    assertArrayEquals(
        new boolean[] {false, true, false},
        ActionMasking.maskOf(Map.of("action_mask", new byte[] {0, 1, 0}), space));
    assertEquals(null, ActionMasking.maskOf(Map.of(), space));
    assertEquals(
        "info['action_mask'] has length 2, expected 3 for the action space Discrete(3)",
        assertThrows(
                IllegalArgumentException.class,
                () -> ActionMasking.maskOf(Map.of("action_mask", new boolean[2]), space))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ActionMasking.maskOf(Map.of("action_mask", new int[] {0, 5, 1}), space));
    SplittableRandom rng = new SplittableRandom(9);
    for (int i = 0; i < 20; i++) {
      assertEquals(
          1, ActionMasking.sampleValid(space, Map.of("action_mask", new int[] {0, 1, 0}), rng));
    }
    ActionMasking<Integer> noMask = new ActionMasking<>(new ScriptedEnv(0, 1.0));
    noMask.reset();
    assertArrayEquals(new boolean[] {true, true, true, true}, noMask.actionMask());
  }
}
