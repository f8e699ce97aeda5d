package dev.ghostgym.sim.metrics;

import dev.ghostgym.abi.MessageType;
import dev.ghostgym.port.KernelCounts;
import dev.ghostgym.port.Percentiles;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Aggregates of one run. Per-task numbers are folded into HdrHistograms when the task finishes, so
 * memory stays flat however many tasks a run completes. The histograms resize themselves to the
 * largest value recorded (three significant digits at every size): an earlier fixed one-hour range
 * silently capped longer responses, so a run of two-hour jobs reported one hour. Means are exact
 * (sums over counts), not the histograms' rounded ones.
 */
public final class RunMetrics {
  final Histogram response = new Histogram(3);
  final Histogram wait = new Histogram(3);
  final Histogram wakeup = new Histogram(3);
  final Histogram slowdown = new Histogram(3);

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
  public void taskCompleted(
      long arrivalNs, long completionNs, long runtimeNs, long waitNs, int preempts, int migrates) {
    completed++;
    long r = completionNs - arrivalNs;
    responseSumNs += r;
    serviceSumNs += runtimeNs;
    waitSumNs += waitNs;
    response.recordValue(r);
    wait.recordValue(waitNs);
    slowdown.recordValue(runtimeNs > 0 ? r * 1000 / runtimeNs : 1000);
    preemptions += preempts;
    migrations += migrates;
  }

  public void taskArrived() {
    arrived++;
  }

  public void taskDeparted() {
    departed++;
  }

  public void wakeupLatency(long ns) {
    wakeup.recordValue(ns);
  }

  public void message(MessageType type) {
    counts.message(type);
  }

  public void txn(int stateCode) {
    counts.txn(stateCode);
  }

  public void activation() {
    agentActivations++;
  }

  public long arrived() {
    return arrived;
  }

  public long completed() {
    return completed;
  }

  public long departed() {
    return departed;
  }

  public long messagesTotal() {
    return counts.messagesTotal();
  }

  public Map<String, Long> messagesByType() {
    return counts.messagesByType();
  }

  public Map<String, Long> txnOutcomes() {
    return counts.txnOutcomes();
  }

  public Percentiles response() {
    return Percentiles.ofNanos(response).withMeanNs(meanResponseNs());
  }

  public Percentiles waitTime() {
    return Percentiles.ofNanos(wait)
        .withMeanNs(completed == 0 ? 0 : (double) waitSumNs / completed);
  }

  public Percentiles wakeupLatency() {
    return Percentiles.ofNanos(wakeup);
  }

  public Percentiles slowdown() {
    return Percentiles.ofMillis(slowdown);
  }

  /** Exact mean response in ns (sum / count). */
  public double meanResponseNs() {
    return completed == 0 ? 0 : (double) responseSumNs / completed;
  }

  public long responseSumNs() {
    return responseSumNs;
  }

  public long serviceSumNs() {
    return serviceSumNs;
  }

  /** Exact sum of the completed tasks' waiting times (ns). */
  public long waitSumNs() {
    return waitSumNs;
  }

  public long preemptions() {
    return preemptions;
  }

  public long migrations() {
    return migrations;
  }

  public long agentActivations() {
    return agentActivations;
  }
}
