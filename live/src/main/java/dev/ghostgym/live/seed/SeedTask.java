package dev.ghostgym.live.seed;

import dev.ghostgym.actors.policy.TaskView;

/**
 * The seven numbers the seed scheduler sends per task: {@code run_state} (0 Blocked, 1 Runnable, 2
 * Queued, 3 OnCpu), {@code cpu} (-1: none yet; sent as 2^64-1), {@code preempted}, and from {@code
 * /proc/<pid>/task/<tid>/stat} utime, stime and guest_time (clock ticks) and vsize (bytes).
 */
public record SeedTask(
    int runState, int cpu, boolean preempted, long utime, long stime, long guestTime, long vsize) {
  /** Values per task on the wire. */
  public static final int FIELDS = 7;

  /**
   * The task as a policy sees it: attained service is utime + stime, {@code tickNs} ns per clock
   * tick; a preempted task is prio-boosted (the seed agent puts it at the front); no gtid, hint,
   * nice or oracle values travel on the wire.
   */
  public TaskView view(long nowNs, long tickNs) {
    SeedTask t = this;
    return new TaskView() {
      @Override
      public long gtid() {
        return 0;
      }

      @Override
      public int hint() {
        return 0;
      }

      @Override
      public int nice() {
        return 0;
      }

      @Override
      public long runnableSinceNs() {
        return nowNs;
      }

      @Override
      public long attainedNs() {
        return (t.utime + t.stime) * tickNs;
      }

      @Override
      public int preemptions() {
        return t.preempted ? 1 : 0;
      }

      @Override
      public boolean boosted() {
        return t.preempted;
      }

      @Override
      public long remainingNs() {
        return -1;
      }

      @Override
      public long burstNs() {
        return -1;
      }

      @Override
      public long deadlineNs() {
        return Long.MAX_VALUE;
      }

      @Override
      public String toString() {
        return t.toString();
      }
    };
  }
}
