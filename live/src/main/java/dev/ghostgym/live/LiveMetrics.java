package dev.ghostgym.live;

import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.port.KernelCounts;
import dev.ghostgym.port.LongMap;
import dev.ghostgym.port.Percentiles;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the agents of a live enclave saw: messages by type, txn outcomes, and the wait of every task
 * from the message that made it runnable (TASK_NEW runnable, TASK_WAKEUP, TASK_PREEMPT, TASK_YIELD)
 * to the commit that put it on a CPU ({@code txn.commit_time}). Fed by the agents' ports under the
 * agents' lock; read with {@link #snapshot()} under the same lock.
 */
public final class LiveMetrics implements PortListener {
  private static final long MAX_NS = 3_600_000_000_000L;

  private final KernelCounts counts = new KernelCounts();
  private final LongMap<long[]> runnableSince = new LongMap<>();
  private final Histogram wait = new Histogram(MAX_NS, 3);

  @Override
  public void message(int cpu, Message m, long nowNs) {
    counts.message(m.type());
    if (!m.type().isTaskMessage()) return;
    switch (m.type()) {
      case TASK_NEW -> {
        if (((TaskNew) m.payload()).runnable()) runnable(m.gtid(), nowNs);
        else runnableSince.remove(m.gtid());
      }
      case TASK_WAKEUP, TASK_PREEMPT, TASK_YIELD -> runnable(m.gtid(), nowNs);
      case TASK_BLOCKED, TASK_DEAD, TASK_DEPARTED, TASK_SWITCHTO -> runnableSince.remove(m.gtid());
      default -> {}
    }
  }

  private void runnable(long gtid, long nowNs) {
    if (!runnableSince.containsKey(gtid)) runnableSince.put(gtid, new long[] {nowNs});
  }

  @Override
  public void txn(int cpu, long gtid, int state, long commitTimeNs) {
    counts.txn(state);
    if (state != TxnState.COMPLETE.code() || gtid <= 0) return;
    long[] since = runnableSince.remove(gtid);
    if (since != null) wait.recordValue(Math.min(MAX_NS, Math.max(0, commitTimeNs - since[0])));
  }

  /** Total messages decoded. */
  public long messagesTotal() {
    return counts.messagesTotal();
  }

  /** Message type name -> count (types seen only). */
  public Map<String, Long> messagesByType() {
    return counts.messagesByType();
  }

  /** Txn state name -> count (states seen only). */
  public Map<String, Long> txnOutcomes() {
    return counts.txnOutcomes();
  }

  /** Runnable-to-committed wait of tasks, in microseconds. */
  public Percentiles waitToRun() {
    return Percentiles.ofNanos(wait);
  }

  /** A copy of the numbers. */
  public Snapshot snapshot() {
    return new Snapshot(messagesTotal(), messagesByType(), txnOutcomes(), waitToRun());
  }

  /** The numbers at one moment. */
  public record Snapshot(
      long messages,
      Map<String, Long> messagesByType,
      Map<String, Long> txnOutcomes,
      Percentiles waitToRunUs) {}
}
