package dev.ghostgym.gym.sched;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Step;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An episode cut by the duration option is truncated, one whose tasks all finished terminated. */
class TruncationTest {
  private static Step<Map<String, Object>> lastStep(Map<String, Object> options) {
    try (Env<Map<String, Object>, Integer> env = Gym.make(GhostEnvs.PICK_NEXT, options)) {
      env.reset(5L, null);
      Step<Map<String, Object>> s;
      do {
        s = env.step(0);
      } while (!s.done());
      return s;
    }
  }

  @Test
  void aDurationLimitTruncatesAndTheEndOfTheWorkloadTerminates() {
    Step<Map<String, Object>> cut =
        lastStep(
            Map.of(
                "workload",
                "mmc",
                "cpus",
                2,
                "tasks",
                100_000,
                "duration",
                "3ms",
                "overheads",
                "none"));
    assertTrue(cut.truncated(), "duration reached");
    assertFalse(cut.terminated());
    Step<Map<String, Object>> end =
        lastStep(Map.of("workload", "mmc", "cpus", 2, "tasks", 50, "overheads", "none"));
    assertTrue(end.terminated(), "all tasks done");
    assertFalse(end.truncated());
  }
}
