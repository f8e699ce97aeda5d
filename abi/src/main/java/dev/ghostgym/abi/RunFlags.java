package dev.ghostgym.abi;

/**
 * Bits of {@code txn.run_flags} (16 bits) and {@code ghost_ioc_run.run_flags}: what should happen
 * on the CPU after a commit. {@link #valid} applies the kernel's rules, whose failure makes a
 * commit end in {@link TxnState#INVALID_FLAGS}.
 */
public final class RunFlags {

  /** Return to the local agent when the committed task is preempted. */
  public static final int RTLA_ON_PREEMPT = 1 << 0;

  /** Return to the local agent when the committed task blocks. */
  public static final int RTLA_ON_BLOCKED = 1 << 1;

  /** Return to the local agent when the committed task yields. */
  public static final int RTLA_ON_YIELD = 1 << 2;

  /** Run the agent instead of letting the CPU go idle. */
  public static final int RTLA_ON_IDLE = 1 << 5;

  /** Flush L1D before running the task (VM core scheduling). */
  public static final int NEED_L1D_FLUSH = 1 << 6;

  /** With {@link Gtid#IDLE}: send CPU_NOT_IDLE when a non-ghost task takes the CPU. */
  public static final int NEED_CPU_NOT_IDLE = 1 << 7;

  /** Send no TASK_PREEMPT for the task this commit displaces. */
  public static final int ELIDE_PREEMPT = 1 << 9;

  /** Send TASK_ON_CPU when the committed task actually starts. */
  public static final int SEND_TASK_ON_CPU = 1 << 10;

  /** If the agent displaces the latched task, wait for the next tick before preempting it. */
  public static final int DEFER_LATCHED_PREEMPTION_BY_AGENT = 1 << 11;

  /** Fail (AGENT_STALE) rather than displace a running or latched task. */
  public static final int DO_NOT_PREEMPT = 1 << 12;

  /** Every bit the kernel knows; anything else is INVALID_FLAGS. */
  public static final int ALL =
      RTLA_ON_PREEMPT
          | RTLA_ON_BLOCKED
          | RTLA_ON_YIELD
          | RTLA_ON_IDLE
          | NEED_L1D_FLUSH
          | NEED_CPU_NOT_IDLE
          | ELIDE_PREEMPT
          | SEND_TASK_ON_CPU
          | DEFER_LATCHED_PREEMPTION_BY_AGENT
          | DO_NOT_PREEMPT;

  private static final String[] NAMES = {
    "RTLA_ON_PREEMPT",
    "RTLA_ON_BLOCKED",
    "RTLA_ON_YIELD",
    "RTLA_ON_IDLE",
    "NEED_L1D_FLUSH",
    "NEED_CPU_NOT_IDLE",
    "ELIDE_PREEMPT",
    "SEND_TASK_ON_CPU",
    "DEFER_LATCHED_PREEMPTION_BY_AGENT",
    "DO_NOT_PREEMPT"
  };
  private static final int[] BITS = {
    RTLA_ON_PREEMPT,
    RTLA_ON_BLOCKED,
    RTLA_ON_YIELD,
    RTLA_ON_IDLE,
    NEED_L1D_FLUSH,
    NEED_CPU_NOT_IDLE,
    ELIDE_PREEMPT,
    SEND_TASK_ON_CPU,
    DEFER_LATCHED_PREEMPTION_BY_AGENT,
    DO_NOT_PREEMPT
  };

  private RunFlags() {}

  /**
   * The kernel's run-flag check for a txn targeting {@code gtid}: no unknown bits; RTLA_ON_IDLE not
   * with a negative (special) gtid; NEED_CPU_NOT_IDLE only with {@link Gtid#IDLE}; and {@link
   * Gtid#AGENT} only with no flags at all.
   */
  public static boolean valid(int runFlags, long gtid) {
    if ((runFlags & ~ALL) != 0) {
      return false;
    }
    if (gtid == Gtid.AGENT && runFlags != 0) {
      return false;
    }
    if ((runFlags & RTLA_ON_IDLE) != 0 && gtid < 0) {
      return false;
    }
    return (runFlags & NEED_CPU_NOT_IDLE) == 0 || gtid == Gtid.IDLE;
  }

  /** The names of the set bits joined by '|', unknown bits as one hex value, or "none". */
  public static String describe(int runFlags) {
    return FlagNames.describe(runFlags, NAMES, BITS);
  }
}
