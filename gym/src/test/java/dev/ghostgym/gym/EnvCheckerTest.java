package dev.ghostgym.gym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.spaces.Box;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.testenvs.CountdownEnv;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EnvCheckerTest {
  /**
   * A deterministic env: observation t in Discrete(3) counting 0, 1, 2, terminating at 2;
   * subclasses break one thing.
   */
  abstract static class SmallEnv extends Env<Integer, Integer> {
    int t;
    int closes;

    @Override
    public Reset<Integer> reset(Long seed, Map<String, Object> options) {
      seedNpRandom(seed);
      t = 0;
      return new Reset<>(resetObservation(), Map.of());
    }

    Integer resetObservation() {
      return 0;
    }

    @Override
    public Step<Integer> step(Integer action) {
      t++;
      return new Step<>(t, reward(), t == 2, false, Map.of());
    }

    double reward() {
      return 1.0;
    }

    @Override
    public Space<Integer> observationSpace() {
      return new Discrete(3);
    }

    @Override
    public Space<Integer> actionSpace() {
      return new Discrete(2);
    }

    @Override
    public void close() {
      closes++;
    }
  }

  @Test
  void theToyEnvPassesEveryCheck() {
    CountdownEnv env = new CountdownEnv(Map.of());
    CheckReport report = EnvChecker.check(env);
    assertEquals(10, report.passed().size(), report.toString());
    assertTrue(report.skipped().isEmpty());
    assertTrue(report.warnings().isEmpty(), report.toString());
    assertTrue(report.passed().stream().anyMatch(p -> p.startsWith(EnvChecker.STEP_DETERMINISM)));
    assertEquals(2, env.closes, "without a spec the given env is closed twice");
    assertTrue(
        report.toString().contains("ok      action-samples: 100 sampled actions accepted by step"),
        report.toString());
  }

  @Test
  void envsMadeFromASpecAreLeftOpenAndAFreshOneIsClosed() {
    Gym.register(EnvSpec.of("checkertest/Countdown-v0", CountdownEnv::new).withMaxEpisodeSteps(5));
    try {
      Env<Map<String, Object>, Integer> env = Gym.make("checkertest/Countdown-v0");
      CheckReport report = EnvChecker.check(env, 7, 60);
      assertEquals(0, ((CountdownEnv) env.unwrapped()).closes);
      assertTrue(
          report
              .passed()
              .contains(
                  "close-idempotent: close() twice on a fresh env made from spec checkertest/Countdown-v0"),
          report.toString());
    } finally {
      Gym.unregister("checkertest/Countdown-v0");
    }
  }

  @Test
  void anObservationOutsideItsSpaceFailsNamingTheStep() {
    SmallEnv env =
        new SmallEnv() {
          @Override
          public Step<Integer> step(Integer action) {
            t++;
            return new Step<>(t, 1.0, false, false, Map.of()); // never terminates: t reaches 3
          }
        };
    EnvCheckError e = assertThrows(EnvCheckError.class, () -> EnvChecker.check(env));
    assertEquals(EnvChecker.STEP_OBSERVATION, e.check());
    assertTrue(
        e.getMessage()
            .matches(
                "env check 'step-observation' failed: the observation after step 2 \\(action \\d\\)"
                    + " is not in the observation space: 3 is not in Discrete\\(3\\)"),
        e.getMessage());

    SmallEnv badReset =
        new SmallEnv() {
          @Override
          Integer resetObservation() {
            return -1;
          }
        };
    EnvCheckError r = assertThrows(EnvCheckError.class, () -> EnvChecker.check(badReset));
    assertEquals(
        "env check 'reset-observation' failed: the observation after reset(seed=123) is not in the"
            + " observation space: -1 is not in Discrete(3)",
        r.getMessage());
  }

  @Test
  void aResetThatIgnoresTheSeedFails() {
    SmallEnv env =
        new SmallEnv() {
          private int resets;

          @Override
          Integer resetObservation() {
            return resets++ % 3; // from a counter, not from the seed
          }
        };
    EnvCheckError e = assertThrows(EnvCheckError.class, () -> EnvChecker.check(env));
    assertEquals(EnvChecker.RESET_DETERMINISM, e.check());
    assertEquals(
        "env check 'reset-determinism' failed: reset(seed=123) twice gave different observations, first"
            + " difference at observation: 0 vs 2 (reset must re-seed every random source from the seed)",
        e.getMessage());
  }

  /**
   * Gymnasium issue #1681: an env returning the same buffer from every reset made Gymnasium's
   * checker compare an object with itself. Copies taken at once catch it.
   */
  @Test
  void aReusedBufferCannotHideANondeterministicReset() {
    BufferEnv env = new BufferEnv(false);
    EnvCheckError e = assertThrows(EnvCheckError.class, () -> EnvChecker.check(env));
    assertEquals(EnvChecker.RESET_DETERMINISM, e.check());
    assertTrue(e.getMessage().contains("first difference at observation[0]: "), e.getMessage());
  }

  @Test
  void aDeterministicEnvThatReusesItsBufferPassesWithAWarning() {
    CheckReport report = EnvChecker.check(new BufferEnv(true));
    assertEquals(1, report.warnings().size(), report.toString());
    assertTrue(
        report
            .warnings()
            .get(0)
            .startsWith("an observation the env had returned was modified by the later call"),
        report.toString());
  }

  @Test
  void aNonFiniteRewardFails() {
    SmallEnv env =
        new SmallEnv() {
          @Override
          double reward() {
            return t == 2 ? Double.NaN : 0.5;
          }
        };
    EnvCheckError e = assertThrows(EnvCheckError.class, () -> EnvChecker.check(env));
    assertEquals(EnvChecker.STEP_REWARD, e.check());
    assertTrue(
        e.getMessage()
            .matches(
                "env check 'step-reward' failed: step 1 \\(action \\d\\) returned reward NaN;"
                    + " rewards must be finite doubles"),
        e.getMessage());
    SmallEnv inf =
        new SmallEnv() {
          @Override
          double reward() {
            return Double.NEGATIVE_INFINITY;
          }
        };
    assertEquals(
        EnvChecker.STEP_REWARD,
        assertThrows(EnvCheckError.class, () -> EnvChecker.check(inf)).check());
  }

  @Test
  void aStepThatIgnoresTheSeedFails() {
    SmallEnv env =
        new SmallEnv() {
          private final SplittableRandom unseeded = new SplittableRandom();

          @Override
          double reward() {
            return unseeded.nextDouble();
          }
        };
    EnvCheckError e = assertThrows(EnvCheckError.class, () -> EnvChecker.check(env));
    assertEquals(EnvChecker.STEP_DETERMINISM, e.check());
    assertTrue(
        e.getMessage()
            .matches(
                "env check 'step-determinism' failed: two runs from reset\\(seed=123\\) with the"
                    + " same actions differ at step 0 \\(action \\d\\): reward [0-9.E-]+ vs [0-9.E-]+"),
        e.getMessage());
  }

  @Test
  void rejectedSampledActionsNullInfosAndSecondClosesFail() {
    SmallEnv picky =
        new SmallEnv() {
          @Override
          public Step<Integer> step(Integer action) {
            if (action == 1) {
              throw new IllegalArgumentException("action 1 is not allowed");
            }
            return super.step(action);
          }
        };
    EnvCheckError a = assertThrows(EnvCheckError.class, () -> EnvChecker.check(picky));
    assertEquals(EnvChecker.ACTION_SAMPLES, a.check());
    assertTrue(
        a.getMessage()
            .contains(
                "(action 1) threw java.lang.IllegalArgumentException: action 1 is not allowed"),
        a.getMessage());

    SmallEnv nullInfo =
        new SmallEnv() {
          @Override
          public Step<Integer> step(Integer action) {
            return new Step<>(0, 0, false, false, null);
          }
        };
    assertEquals(
        EnvChecker.STEP_INFO,
        assertThrows(EnvCheckError.class, () -> EnvChecker.check(nullInfo)).check());

    SmallEnv closeOnce =
        new SmallEnv() {
          @Override
          public void close() {
            if (closes++ > 0) {
              throw new IllegalStateException("already closed");
            }
          }
        };
    EnvCheckError c = assertThrows(EnvCheckError.class, () -> EnvChecker.check(closeOnce));
    assertEquals(
        "env check 'close-idempotent' failed: a second close() on the given env (now closed) threw"
            + " java.lang.IllegalStateException: already closed; close must be idempotent",
        c.getMessage());
  }

  @Test
  void nondeterministicSpecsSkipTheDeterminismChecksAndUnseededGeneratorsWarn() {
    Gym.register(
        EnvSpec.of(
                "checkertest/Live-v0",
                opts ->
                    new SmallEnv() {
                      private final SplittableRandom unseeded = new SplittableRandom();

                      @Override
                      public Reset<Integer> reset(Long seed, Map<String, Object> options) {
                        t = 0;
                        return new Reset<>(unseeded.nextInt(3), Map.of());
                      }
                    })
            .withNondeterministic(true));
    try {
      CheckReport report = EnvChecker.check(Gym.make("checkertest/Live-v0"));
      assertEquals(2, report.skipped().size(), report.toString());
      assertTrue(
          report
              .skipped()
              .get(0)
              .startsWith("reset-determinism: spec checkertest/Live-v0 is nondeterministic"));
      assertTrue(
          report.warnings().get(0).startsWith("reset(seed=123) did not seed npRandom()"),
          report.toString());
      assertFalse(
          report.passed().stream().anyMatch(p -> p.startsWith(EnvChecker.STEP_DETERMINISM)));
    } finally {
      Gym.unregister("checkertest/Live-v0");
    }
  }

  /** Returns one float[] buffer from every call, refilled; seeded or not. */
  static final class BufferEnv extends Env<float[], Integer> {
    private final float[] buffer = new float[2];
    private final boolean seeded;
    private final SplittableRandom unseeded = new SplittableRandom();
    private int t;

    BufferEnv(boolean seeded) {
      this.seeded = seeded;
    }

    @Override
    public Reset<float[]> reset(Long seed, Map<String, Object> options) {
      seedNpRandom(seed);
      t = 0;
      fill();
      return new Reset<>(buffer, Map.of());
    }

    @Override
    public Step<float[]> step(Integer action) {
      t++;
      fill();
      return new Step<>(buffer, buffer[0], t == 5, false, Map.of());
    }

    private void fill() {
      SplittableRandom r = seeded ? npRandom() : unseeded;
      buffer[0] = (float) r.nextDouble();
      buffer[1] = (float) r.nextDouble();
    }

    @Override
    public Space<float[]> observationSpace() {
      return new Box(0f, 1f, 2);
    }

    @Override
    public Space<Integer> actionSpace() {
      return new Discrete(2);
    }
  }
}
