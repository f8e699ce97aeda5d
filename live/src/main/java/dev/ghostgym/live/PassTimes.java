package dev.ghostgym.live;

import dev.ghostgym.port.Percentiles;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * How long each agent pass took (from reading the txn outcomes to the end of the decisions, before
 * the blocking commit or yield), per CPU: the agent thread records into its own wait-free {@link
 * SingleWriterRecorder} (no allocation, no lock shared with other agents), and a reader folds the
 * recorded intervals into one histogram. The count of passes is kept the same way.
 */
public final class PassTimes {
  private static final long MAX_NS = 60_000_000_000L;

  private final SingleWriterRecorder[] recorders;
  private final AtomicLongArray passes;
  private final Histogram total = new Histogram(MAX_NS, 3);
  private final Histogram[] intervals; // recycled, each with the recorder it came from

  public PassTimes(int cpus) {
    recorders = new SingleWriterRecorder[cpus];
    for (int i = 0; i < cpus; i++) recorders[i] = new SingleWriterRecorder(MAX_NS, 3);
    passes = new AtomicLongArray(cpus);
    intervals = new Histogram[cpus];
  }

  /** Called by the agent thread of {@code cpu} only. */
  void record(int cpu, long ns) {
    recorders[cpu].recordValue(Math.min(MAX_NS, Math.max(0, ns)));
    passes.lazySet(cpu, passes.get(cpu) + 1); // one writer per slot
  }

  /** Passes of the agent of {@code cpu} so far. */
  public long passes(int cpu) {
    return passes.get(cpu);
  }

  /** Passes of all agents so far. */
  public long passes() {
    long n = 0;
    for (int i = 0; i < passes.length(); i++) n += passes.get(i);
    return n;
  }

  /** Pass times of every agent so far, in microseconds (max is the worst pass). */
  public synchronized Percentiles percentiles() {
    for (int i = 0; i < recorders.length; i++) {
      intervals[i] = recorders[i].getIntervalHistogram(intervals[i]);
      total.add(intervals[i]);
    }
    return Percentiles.ofNanos(total);
  }
}
