package dev.ghostgym.sim;

import dev.ghostgym.sim.metrics.RunMetrics;
import dev.ghostgym.sim.metrics.TraceLog;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run produced: the metrics, the accounting of every task, time-weighted numbers for
 * queueing checks, and the trace hash.
 *
 * @param endNs simulated time when the run stopped
 * @param taskCpus CPUs that serve tasks
 * @param utilization task CPU time / (taskCpus x endNs)
 * @param agentShare agent time on task CPUs (working, or spinning) / (taskCpus x endNs)
 * @param throughputPerS completed tasks per simulated second
 * @param meanInSystem time-average number of tasks in the system (L in Little's law)
 * @param arrivalRatePerS arrived tasks per simulated second (lambda)
 * @param stillRunning tasks alive at the end (arrived = completed + departed + stillRunning)
 * @param traceSha256 hash of the full event trace
 * @param perCpu where each CPU's time went; the four parts add up to endNs
 */
public record SimResult(
    RunMetrics metrics,
    long endNs,
    int taskCpus,
    double utilization,
    double agentShare,
    double throughputPerS,
    double meanInSystem,
    double arrivalRatePerS,
    long stillRunning,
    String traceSha256,
    long traceRecords,
    List<CpuTime> perCpu,
    String stopped) {

  /**
   * One CPU's simulated time: running ghOSt tasks, CFS tasks, its agent (working or spinning), and
   * the rest (idle, and context switches, during which a CPU runs nothing).
   */
  public record CpuTime(int cpu, long ghostNs, long cfsNs, long agentNs, long idleNs) {}

  /** Whether the run was stopped before its end (see {@link #stopped()}, the reason, else null). */
  public boolean wasStopped() {
    return stopped != null;
  }

  static SimResult of(Machine m) {
    long ghost = 0, cfs = 0, agent = 0;
    List<CpuTime> perCpu = new ArrayList<>();
    for (SimCpu c : m.cpus) {
      long g = c.ghostBusy, f = c.cfsBusy, a = c.agentBusy, spin = c.agentSpin;
      if (c.current != null) { // charge the part of the burst in progress
        long ran = Math.max(0, m.now - c.current.runStart);
        if (c.current.ghost) g += ran;
        else f += ran;
      }
      if (c.agent == AgentState.RUNNING || c.agent == AgentState.SUSPENDED)
        a += Math.max(0, m.now - c.agentSince);
      if (c.agent == AgentState.SPINNING) spin += Math.max(0, m.now - c.agentSince);
      perCpu.add(new CpuTime(c.id, g, f, a + spin, m.now - g - f - a - spin));
      ghost += g;
      cfs += f;
      // Spinning takes a task CPU away; an ideal agent's extra CPU only costs its work.
      agent += c.taskCpu ? a + spin : a;
    }
    int taskCpus = m.enclaveCpus.length;
    double span = Math.max(1, m.now) * (double) taskCpus;
    RunMetrics x = m.metrics();
    double seconds = Math.max(1, m.now) / 1e9;
    SimResult r =
        new SimResult(
            x,
            m.now,
            taskCpus,
            (ghost + cfs) / span,
            agent / span,
            x.completed() / seconds,
            m.accounting.inSystemArea() / (double) Math.max(1, m.now),
            x.arrived() / seconds,
            m.accounting.inSystem() - m.accounting.departedAlive(),
            m.trace.hex(),
            m.trace.records(),
            List.copyOf(perCpu),
            m.stopReason());
    TraceLog.append(r.traceSha256, x.completed(), r.traceRecords, m.now);
    return r;
  }
}
