package dev.ghostgym.live;

import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.ghostfs.StatusWordRegion;
import dev.ghostgym.port.LongMap;
import java.util.Arrays;

/**
 * Watches for runnable tasks the agents leave waiting: at each check it reads the status word of
 * every task the agents know, and a task that was runnable and off-CPU, with the same barrier (no
 * event in between), for longer than the threshold raises one alarm per wait. The user-space
 * counterpart of the kernel's {@code runnable_timeout}, which destroys the enclave instead.
 */
public final class Watchdog {
  private final long thresholdNs;
  private final StatusWordRegion words;
  private LongMap<long[]> waiting = new LongMap<>(); // gtid -> {since, barrier, alarmed}
  private long alarms;

  public Watchdog(long thresholdNs, StatusWordRegion words) {
    if (thresholdNs <= 0)
      throw new IllegalArgumentException("watchdog threshold: expected > 0 ns, got " + thresholdNs);
    this.thresholdNs = thresholdNs;
    this.words = words;
  }

  public long thresholdNs() {
    return thresholdNs;
  }

  /** Alarms raised so far. */
  public long alarms() {
    return alarms;
  }

  // Alarms logged one by one; beyond these, only counted.
  private static final int LOG_LIMIT = 10;

  /**
   * {@link #check}, logging each new alarm (the first {@value #LOG_LIMIT} of the run) to {@code
   * log}; returns how many tasks crossed the threshold since the last check.
   */
  public int checkAndLog(long nowNs, long[] gtids, long[] indices, java.io.PrintStream log) {
    long[] late = check(nowNs, gtids, indices);
    for (long gtid : late) {
      if (alarms - late.length < LOG_LIMIT) {
        log.println(
            "ghost-gym live: watchdog: task "
                + gtid
                + " has been runnable without a CPU for more than "
                + thresholdNs / 1_000_000.0
                + " ms");
      }
    }
    return late.length;
  }

  /**
   * Checks the tasks {@code gtids[i]} whose words are {@code indices[i]} at {@code nowNs}; returns
   * the gtids that crossed the threshold since the last check.
   */
  public long[] check(long nowNs, long[] gtids, long[] indices) {
    LongMap<long[]> next = new LongMap<>();
    long[] fired = new long[0];
    for (int i = 0; i < gtids.length; i++) {
      int idx = (int) indices[i];
      int barrier = words.barrier(idx);
      int flags = words.flags(idx);
      boolean waits =
          (flags & StatusFlags.TASK_RUNNABLE) != 0 && (flags & StatusFlags.TASK_ONCPU) == 0;
      if (!waits) continue;
      long[] w = waiting.get(gtids[i]);
      if (w == null || w[1] != barrier) w = new long[] {nowNs, barrier, 0};
      next.put(gtids[i], w);
      long waited = nowNs - w[0];
      if (w[2] == 0 && waited > thresholdNs) {
        w[2] = 1;
        alarms++;
        fired = Arrays.copyOf(fired, fired.length + 1);
        fired[fired.length - 1] = gtids[i];
      } else if (w[2] != 0) {
      }
    }
    waiting = next;
    return fired;
  }
}
