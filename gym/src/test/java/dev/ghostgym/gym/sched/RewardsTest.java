package dev.ghostgym.gym.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.sim.metrics.TaskRecord;
import org.junit.jupiter.api.Test;

/** Each reward by numbers, on hand-made finished tasks. */
class RewardsTest {
  private static TaskRecord task(long arrival, long end, long runtime) {
    return new TaskRecord(
        1, "t", 0, false, arrival, arrival, end, end - arrival - runtime, runtime, 0, 0);
  }

  private static double reward(Rewards.Kind kind) {
    Rewards r = new Rewards(kind, 1_000_000);
    r.collect(5_000_000); // a previous step: 5 ms of waiting so far
    r.finished(task(0, 2_000_000, 1_000_000)); // response 2 ms, slowdown 2
    r.finished(task(0, 4_000_000, 1_000_000)); // response 4 ms, slowdown 4
    r.finished(
        new TaskRecord(2, "t", 0, true, 0, 0, 9_000_000, 0, 0, 0, 0)); // departed: not scored
    return r.collect(8_000_000); // 3 ms more waiting
  }

  @Test
  void rewardsScoreTheStepByTheirDefinition() {
    assertEquals(-3.0, reward(Rewards.Kind.WAIT), 1e-12);
    assertEquals(-6.0, reward(Rewards.Kind.RESPONSE), 1e-12);
    assertEquals(-6.0, reward(Rewards.Kind.SLOWDOWN), 1e-12);
    assertEquals(-(1.0 + 3.0), reward(Rewards.Kind.P99), 1e-12);
    // waits of 1 and 3 ms against a 1 ms allowance: excesses 0 and 2 CPU times, squared
    assertEquals(-(2.0 + 0.0 + 4.0 + 4.0), reward(Rewards.Kind.TAIL), 1e-12);
    assertEquals(2.0, reward(Rewards.Kind.THROUGHPUT), 1e-12);
    assertEquals((2 + 4) * (2 + 4) / (2.0 * (4 + 16)), reward(Rewards.Kind.FAIRNESS), 1e-12);
    assertEquals(0.0, reward(Rewards.Kind.NONE), 0.0);
  }

  @Test
  void aStepWithNothingFinishedScoresOnlyWaiting() {
    Rewards r = new Rewards(Rewards.Kind.FAIRNESS, 1e6);
    assertEquals(0.0, r.collect(100), 0.0);
    Rewards w = new Rewards(Rewards.Kind.WAIT, 1e6);
    w.collect(1_000_000);
    assertEquals(0.0, w.collect(1_000_000), 0.0);
    assertEquals(-0.5, w.collect(1_500_000), 1e-12);
  }
}
