package dev.ghostgym.abi;

/**
 * The named values of {@code ghost_txn.state}: READY (opened by the agent) and the final states,
 * which are negative and count up from INT_MIN. Non-negative values below READY are not named: they
 * mean "claimed by that CPU, commit in progress" (see {@link #isClaimed}).
 */
public enum TxnState {
  COMPLETE(Integer.MIN_VALUE),
  ABORTED(Integer.MIN_VALUE + 1),
  TARGET_ONCPU(Integer.MIN_VALUE + 2),
  TARGET_STALE(Integer.MIN_VALUE + 3),
  TARGET_NOT_FOUND(Integer.MIN_VALUE + 4),
  TARGET_NOT_RUNNABLE(Integer.MIN_VALUE + 5),
  AGENT_STALE(Integer.MIN_VALUE + 6),
  CPU_OFFLINE(Integer.MIN_VALUE + 7),
  CPU_UNAVAIL(Integer.MIN_VALUE + 8),
  INVALID_FLAGS(Integer.MIN_VALUE + 9),
  INVALID_TARGET(Integer.MIN_VALUE + 10),
  NOT_PERMITTED(Integer.MIN_VALUE + 11),
  INVALID_CPU(Integer.MIN_VALUE + 12),
  NO_AGENT(Integer.MIN_VALUE + 13),
  UNSUPPORTED_VERSION(Integer.MIN_VALUE + 14),
  POISONED(Integer.MIN_VALUE + 15),
  READY(Integer.MAX_VALUE);

  // The final states are consecutive from INT_MIN in declaration order, so of() can index.
  private static final TxnState[] FINAL = {
    COMPLETE,
    ABORTED,
    TARGET_ONCPU,
    TARGET_STALE,
    TARGET_NOT_FOUND,
    TARGET_NOT_RUNNABLE,
    AGENT_STALE,
    CPU_OFFLINE,
    CPU_UNAVAIL,
    INVALID_FLAGS,
    INVALID_TARGET,
    NOT_PERMITTED,
    INVALID_CPU,
    NO_AGENT,
    UNSUPPORTED_VERSION,
    POISONED
  };

  private final int code;

  TxnState(int code) {
    this.code = code;
  }

  /** The value stored in {@code txn.state}. */
  public int code() {
    return code;
  }

  /** True for every state the kernel leaves a finished txn in (negative codes). */
  public boolean isFinal() {
    return code < 0;
  }

  /** True for every final state except COMPLETE. */
  public boolean isFailure() {
    return isFinal() && this != COMPLETE;
  }

  /**
   * True for the failures ghost-userspace's C++ library treats as normal races rather than bugs:
   * TARGET_NOT_FOUND, TARGET_STALE, AGENT_STALE, NO_AGENT, CPU_UNAVAIL, POISONED, ABORTED and
   * TARGET_ONCPU (the library accepts the last one only when it allowed it; callers decide that).
   */
  public boolean isExpectedFailure() {
    return switch (this) {
      case TARGET_NOT_FOUND,
          TARGET_STALE,
          AGENT_STALE,
          NO_AGENT,
          CPU_UNAVAIL,
          POISONED,
          ABORTED,
          TARGET_ONCPU ->
          true;
      default -> false;
    };
  }

  /** True for a code meaning "claimed by CPU {@code code}": {@code 0 <= code < READY}. */
  public static boolean isClaimed(int code) {
    return code >= 0 && code < Integer.MAX_VALUE;
  }

  /**
   * The state with this code. Throws IllegalArgumentException naming the code if it is a claimed
   * value (a commit still in progress, not a state) or no known code.
   */
  public static TxnState of(int code) {
    if (code == Integer.MAX_VALUE) {
      return READY;
    }
    if (isClaimed(code)) {
      throw new IllegalArgumentException(
          "txn state "
              + code
              + " means claimed by cpu "
              + code
              + " (commit in progress), not a TxnState");
    }
    long index = (long) code - Integer.MIN_VALUE;
    if (index < FINAL.length) {
      return FINAL[(int) index];
    }
    throw new IllegalArgumentException(
        "unknown txn state code "
            + code
            + "; expected INT_MIN..INT_MIN+"
            + (FINAL.length - 1)
            + ", a claiming cpu >= 0 or INT_MAX");
  }
}
