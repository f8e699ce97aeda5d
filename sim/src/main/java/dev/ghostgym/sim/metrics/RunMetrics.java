package dev.ghostgym.sim.metrics;

import dev.ghostgym.abi.MessageType;
import dev.ghostgym.port.KernelCounts;
import dev.ghostgym.port.Percentiles;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Aggregates of one run. Per-task numbers are folded into HdrHistograms when the task finishes,
 * so memory stays flat however many tasks a run completes.
 */
public final class RunMetrics {
  private static final long MAX_NS = 3_600_000_000_000L; // one simulated hour

  final Histogram response = new Histogram(MAX_NS, 3);
  final Histogram wait = new Histogram(MAX_NS, 3);
  final Histogram wakeup = new Histogram(MAX_NS, 3);
  final Histogram slowdown = new Histogram(1_000_000_000L, 3);

  long arrived;
  long completed;
  long departed;
  long preemptions;
  long migrations;
  long responseSumNs; // exact sum for Little's law checks (the histogram mean is rounded)
  long serviceSumNs;
  long waitSumNs;
  final KernelCounts counts = new KernelCounts();
  long agentActivations;

  /** Called by the machine when a task exits (a finished job). */
  public void taskCompleted(long arrivalNs, long completionNs, long runtimeNs, long waitNs,
                            int preempts, int migrates) {
    completed++;
    long r = completionNs - arrivalNs;
    responseSumNs += r;
    serviceSumNs += runtimeNs;
    waitSumNs += waitNs;
    response.recordValue(Math.min(r, MAX_NS));
    wait.recordValue(Math.min(waitNs, MAX_NS));
    slowdown.recordValue(Math.min(runtimeNs > 0 ? r * 1000 / runtimeNs : 1000, 1_000_000_000L));
    preemptions += preempts;
    migrations += migrates;
  }

  public void taskArrived() { arrived++; }

  public void taskDeparted() { departed++; }

  public void wakeupLatency(long ns) { wakeup.recordValue(Math.min(ns, MAX_NS)); }

  public void message(MessageType type) { counts.message(type); }

  public void txn(int stateCode) { counts.txn(stateCode); }

  public void activation() { agentActivations++; }

  public long arrived() { return arrived; }

  public long completed() { return completed; }

  public long departed() { return departed; }

  public long messagesTotal() { return counts.messagesTotal(); }

  public Map<String, Long> messagesByType() { return counts.messagesByType(); }

  public Map<String, Long> txnOutcomes() { return counts.txnOutcomes(); }

  public Percentiles response() { return Percentiles.ofNanos(response); }

  public Percentiles waitTime() { return Percentiles.ofNanos(wait); }

  public Percentiles wakeupLatency() { return Percentiles.ofNanos(wakeup); }

  public Percentiles slowdown() { return Percentiles.ofMillis(slowdown); }

  /** Exact mean response in ns (sum / count). */
  public double meanResponseNs() { return completed == 0 ? 0 : (double) responseSumNs / completed; }

  public long responseSumNs() { return responseSumNs; }

  public long serviceSumNs() { return serviceSumNs; }

  /** Exact sum of the completed tasks' waiting times (ns). */
  public long waitSumNs() { return waitSumNs; }

  public long preemptions() { return preemptions; }

  public long migrations() { return migrations; }

  public long agentActivations() { return agentActivations; }
}
