package dev.ghostgym.gym.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.testenvs.ScriptedEnv;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordEpisodeStatisticsTest {
  private long now;

  @Test
  void finalStepCarriesReturnLengthAndTime() {
    RecordEpisodeStatistics<Integer, Integer> env =
        new RecordEpisodeStatistics<>(
            new ScriptedEnv(3, 1.5, -0.5, 2.25, 4.0), 2, "episode", () -> now);
    now = 1_000_000_000L;
    env.reset(0);
    now += 1_000_000;
    Step<Integer> s1 = env.step(0);
    Step<Integer> s2 = env.step(0);
    now += 1_345_678;
    Step<Integer> s3 = env.step(0);
    assertFalse(s1.info().containsKey("episode"));
    assertFalse(s2.info().containsKey("episode"));
    assertEquals(Map.of("r", 3.25, "l", 3, "t", 0.002346), s3.info().get("episode"));
    assertEquals(3, s3.info().get("t"), "the env's own info entries are kept");

    env.reset();
    env.step(0);
    env.step(0);
    Step<Integer> last = env.step(0);
    // rewards continue through the script: 4.0, 1.5, -0.5
    assertEquals(Map.of("r", 5.0, "l", 3, "t", 0.0), last.info().get("episode"));
    env.reset();
    env.step(0);
    env.step(0);
    env.step(0);
    assertEquals(3, env.episodeCount());
    assertEquals(List.of(5.0, 7.75), env.returnQueue(), "the last bufferLength = 2 episodes");
    assertEquals(List.of(3, 3), env.lengthQueue());
  }

  @Test
  void anInfoThatAlreadyHasTheKeyIsAnError() {
    Env<Integer, Integer> clash =
        new Env<>() {
          @Override
          public Reset<Integer> reset(Long seed, Map<String, Object> options) {
            return new Reset<>(0, Map.of());
          }

          @Override
          public Step<Integer> step(Integer action) {
            return new Step<>(0, 1, true, false, Map.of("episode", 1));
          }

          @Override
          public Space<Integer> observationSpace() {
            return new Discrete(1);
          }

          @Override
          public Space<Integer> actionSpace() {
            return new Discrete(1);
          }
        };
    RecordEpisodeStatistics<Integer, Integer> env = new RecordEpisodeStatistics<>(clash);
    env.reset();
    assertThrows(IllegalStateException.class, () -> env.step(0));
  }
}
