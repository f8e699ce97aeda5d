package dev.ghostgym.app;

import dev.ghostgym.config.Workload;
import dev.ghostgym.sim.SimResult;

/**
 * What a simulation request must satisfy before it runs, and what its result must say after, so
 * that a run never ends with exit 0 and numbers that mean nothing.
 */
final class RunChecks {
  private RunChecks() {}

  /** A workload of endless tasks only needs --duration: without it the run would end at t=0. */
  static void beforeRun(Workload w, long durationNs) {
    boolean allEndless =
        !w.sources().isEmpty()
            && w.sources().stream()
                .allMatch(s -> !Double.isFinite(s.template().program().meanServiceNs()));
    if (allEndless && durationNs == 0) {
      throw new InputError(
          "--duration: every task of workload "
              + w.name()
              + " loops forever, so without a time "
              + "limit nothing would be simulated; give --duration T (e.g. --duration 1s)");
    }
  }

  /**
   * A run stopped by the simulator (queue overflow, unbounded growth) is exit 1 with its reason.
   */
  static void afterRun(SimResult r) {
    if (r.wasStopped()) throw new RunStoppedError("simulate: run stopped: " + r.stopped());
  }
}
