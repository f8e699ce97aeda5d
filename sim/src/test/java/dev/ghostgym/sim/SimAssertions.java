package dev.ghostgym.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The simulator's conservation law, shared by every module's tests (the sim test-jar): no task is
 * lost or counted twice, so every task that arrived has completed, departed ghOSt (enclave
 * destroyed, task moved to CFS) or is still running when the run ends.
 */
public final class SimAssertions {
  private SimAssertions() {}

  /** Asserts arrived = completed + departed + still running, naming all four numbers if not. */
  public static void assertEveryTaskAccountedFor(SimResult r) {
    var m = r.metrics();
    assertEquals(
        m.arrived(),
        m.completed() + m.departed() + r.stillRunning(),
        "arrived = completed + departed + running: "
            + m.arrived()
            + " vs "
            + m.completed()
            + " + "
            + m.departed()
            + " + "
            + r.stillRunning());
  }
}
