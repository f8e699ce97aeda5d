package dev.ghostgym.abi;

/**
 * Bits of {@code txn.commit_flags} (8 bits): when and how a txn may be committed. With no COMMIT_AT
 * flag a txn is "greedy" and the kernel commits it at the first opportunity; every scheduler in
 * ghost-userspace uses COMMIT_AT_TXN_COMMIT.
 */
public final class CommitFlags {

  /** Commit only when the target CPU passes through the scheduler (pre-staged decision). */
  public static final int COMMIT_AT_SCHEDULE = 1 << 0;

  /** Commit only inline, inside the COMMIT_TXN ioctl. */
  public static final int COMMIT_AT_TXN_COMMIT = 1 << 1;

  /** Accept a target already running on the target CPU (it just stays there). */
  public static final int ALLOW_TASK_ONCPU = 1 << 2;

  /** Do not increment the target CPU's agent barrier on success. */
  public static final int ELIDE_AGENT_BARRIER_INC = 1 << 3;

  /** Increment the target CPU's agent barrier even when the commit fails. */
  public static final int INC_AGENT_BARRIER_ON_FAILURE = 1 << 4;

  /** Every bit the kernel knows; anything else is INVALID_FLAGS. */
  public static final int ALL =
      COMMIT_AT_SCHEDULE
          | COMMIT_AT_TXN_COMMIT
          | ALLOW_TASK_ONCPU
          | ELIDE_AGENT_BARRIER_INC
          | INC_AGENT_BARRIER_ON_FAILURE;

  private static final int COMMIT_AT_MASK = COMMIT_AT_SCHEDULE | COMMIT_AT_TXN_COMMIT;
  private static final String[] NAMES = {
    "COMMIT_AT_SCHEDULE",
    "COMMIT_AT_TXN_COMMIT",
    "ALLOW_TASK_ONCPU",
    "ELIDE_AGENT_BARRIER_INC",
    "INC_AGENT_BARRIER_ON_FAILURE"
  };
  private static final int[] BITS = {
    COMMIT_AT_SCHEDULE,
    COMMIT_AT_TXN_COMMIT,
    ALLOW_TASK_ONCPU,
    ELIDE_AGENT_BARRIER_INC,
    INC_AGENT_BARRIER_ON_FAILURE
  };

  private CommitFlags() {}

  /**
   * The kernel's commit-flag check: no unknown bits, at most one COMMIT_AT flag, and not both
   * ELIDE_AGENT_BARRIER_INC and INC_AGENT_BARRIER_ON_FAILURE (they contradict each other).
   */
  public static boolean valid(int commitFlags) {
    if ((commitFlags & ~ALL) != 0) {
      return false;
    }
    if ((commitFlags & COMMIT_AT_MASK) == COMMIT_AT_MASK) {
      return false;
    }
    int barrierBits = ELIDE_AGENT_BARRIER_INC | INC_AGENT_BARRIER_ON_FAILURE;
    return (commitFlags & barrierBits) != barrierBits;
  }

  /** True when no COMMIT_AT flag is set: the kernel may commit at any opportunity. */
  public static boolean isGreedy(int commitFlags) {
    return (commitFlags & COMMIT_AT_MASK) == 0;
  }

  /** The names of the set bits joined by '|', unknown bits as one hex value, or "none". */
  public static String describe(int commitFlags) {
    return FlagNames.describe(commitFlags, NAMES, BITS);
  }
}
