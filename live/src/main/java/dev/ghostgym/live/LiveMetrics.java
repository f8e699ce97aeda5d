package dev.ghostgym.live;

import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.MessageView;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.port.KernelCounts;
import dev.ghostgym.port.Percentiles;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jctools.maps.NonBlockingHashMapLong;

/**
 * What the agents of a live enclave saw: messages by type, txn outcomes, and the wait of every task
 * from the message that made it runnable (TASK_NEW runnable, TASK_WAKEUP, TASK_PREEMPT, TASK_YIELD)
 * to the commit that put it on a CPU ({@code txn.commit_time}).
 *
 * <p>Fed by the agents' ports from their own threads at the same time, without a lock: counts are
 * kept per port (each written by one thread, summed by {@link #snapshot()}), the runnable times in
 * a lock-free map (one slot per live task, reused), and the waits in a wait-free {@link
 * ConcurrentHistogram}. A snapshot taken while the agents run is a consistent-enough view (each
 * count is exact, they may be a message apart).
 */
public final class LiveMetrics implements PortListener {
  private static final long MAX_NS = 3_600_000_000_000L;
  private static final long NONE = Long.MIN_VALUE;

  private final KernelCounts[] counts; // [0]: setup port (cpu -1); [cpu + 1]: the agent of cpu
  private final NonBlockingHashMapLong<AtomicLong> runnableSince = new NonBlockingHashMapLong<>();
  private final Histogram wait = new ConcurrentHistogram(MAX_NS, 3);

  /** Metrics for agents on CPUs 0..cpus-1. */
  public LiveMetrics(int cpus) {
    counts = new KernelCounts[cpus + 1];
    for (int i = 0; i < counts.length; i++) counts[i] = new KernelCounts();
  }

  @Override
  public void message(int cpu, Message m, long nowNs) {
    boolean runnable = m.type() == MessageType.TASK_NEW && ((TaskNew) m.payload()).runnable();
    count(cpu, m.type(), m.type().isTaskMessage() ? m.gtid() : 0, runnable, nowNs);
  }

  @Override
  public void message(int cpu, MessageView m, long nowNs) {
    count(cpu, m.type(), m.gtid(), m.runnable(), nowNs);
  }

  private void count(int cpu, MessageType type, long gtid, boolean runnable, long nowNs) {
    counts[Math.min(cpu + 1, counts.length - 1)].message(type);
    if (!type.isTaskMessage()) return;
    switch (type) {
      case TASK_NEW -> {
        if (runnable) runnable(gtid, nowNs);
        else notRunnable(gtid);
      }
      case TASK_WAKEUP, TASK_PREEMPT, TASK_YIELD -> runnable(gtid, nowNs);
      case TASK_BLOCKED, TASK_SWITCHTO -> notRunnable(gtid);
      case TASK_DEAD, TASK_DEPARTED -> runnableSince.remove(gtid);
      default -> {}
    }
  }

  // The first runnable message since the task last got a CPU counts. NONE marks a task that is not
  // waiting: its slot stays until it dies, so a wakeup allocates nothing.
  private void runnable(long gtid, long nowNs) {
    AtomicLong since = runnableSince.get(gtid);
    if (since == null) runnableSince.put(gtid, new AtomicLong(nowNs));
    else since.compareAndSet(NONE, nowNs);
  }

  private void notRunnable(long gtid) {
    AtomicLong since = runnableSince.get(gtid);
    if (since != null) since.set(NONE);
  }

  @Override
  public void txn(int cpu, long gtid, int state, long commitTimeNs) {
    counts[Math.min(cpu + 1, counts.length - 1)].txn(state);
    if (state != TxnState.COMPLETE.code() || gtid <= 0) return;
    AtomicLong since = runnableSince.get(gtid);
    long t = since == null ? NONE : since.getAndSet(NONE);
    if (t == NONE) return;
    wait.recordValue(Math.min(MAX_NS, Math.max(0, commitTimeNs - t)));
  }

  /** Total messages decoded. */
  public long messagesTotal() {
    long n = 0;
    for (KernelCounts c : counts) n += c.messagesTotal();
    return n;
  }

  /** Message type name -> count (types seen only). */
  public Map<String, Long> messagesByType() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (KernelCounts c : counts) c.messagesByType().forEach((k, v) -> m.merge(k, v, Long::sum));
    return m;
  }

  /** Txn state name -> count (states seen only). */
  public Map<String, Long> txnOutcomes() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (KernelCounts c : counts) c.txnOutcomes().forEach((k, v) -> m.merge(k, v, Long::sum));
    return m;
  }

  /** Runnable-to-committed wait of tasks, in microseconds. */
  public Percentiles waitToRun() {
    return Percentiles.ofNanos(wait.copy());
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
