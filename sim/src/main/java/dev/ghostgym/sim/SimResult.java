package dev.ghostgym.sim;

import dev.ghostgym.sim.metrics.RunMetrics;
import dev.ghostgym.sim.metrics.TraceLog;

/**
 * What a run produced: the metrics, the accounting of every task, time-weighted numbers for
 * queueing checks, and the trace hash.
 *
 * @param endNs           simulated time when the run stopped
 * @param taskCpus        CPUs that serve tasks
 * @param utilization     task CPU time / (taskCpus x endNs)
 * @param agentShare      agent working time / (taskCpus x endNs)
 * @param throughputPerS  completed tasks per simulated second
 * @param meanInSystem    time-average number of tasks in the system (L in Little's law)
 * @param arrivalRatePerS arrived tasks per simulated second (lambda)
 * @param stillRunning    tasks alive at the end (arrived = completed + departed + stillRunning)
 * @param traceSha256     hash of the full event trace
 */
public record SimResult(RunMetrics metrics, long endNs, int taskCpus, double utilization,
                        double agentShare, double throughputPerS, double meanInSystem,
                        double arrivalRatePerS, long stillRunning, String traceSha256,
                        long traceRecords, String stopped) {
  /** Whether the run was stopped before its end (see {@link #stopped()}, the reason, else null). */
  public boolean wasStopped() {
    return stopped != null;
  }


  static SimResult of(Machine m) {
    long ghost = 0, cfs = 0, agent = 0;
    for (SimCpu c : m.cpus) {
      if (c.current != null) { // charge the part of the burst in progress
        long ran = Math.max(0, m.now - c.current.runStart);
        if (c.current.ghost) ghost += ran; else cfs += ran;
      }
      ghost += c.ghostBusy;
      cfs += c.cfsBusy;
      agent += c.agentBusy;
    }
    int taskCpus = m.enclaveCpus.length;
    double span = Math.max(1, m.now) * (double) taskCpus;
    RunMetrics x = m.metrics();
    double seconds = Math.max(1, m.now) / 1e9;
    SimResult r = new SimResult(x, m.now, taskCpus, (ghost + cfs) / span, agent / span,
        x.completed() / seconds, m.accounting.inSystemArea() / (double) Math.max(1, m.now),
        x.arrived() / seconds, m.accounting.inSystem() - m.accounting.departedAlive(), m.trace.hex(), m.trace.records(),
        m.stopReason());
    TraceLog.append(r.traceSha256, x.completed(), r.traceRecords, m.now);
    return r;
  }
}
