package dev.ghostgym.abi;

/**
 * Bits of {@code ghost_status_word.flags}. The low byte is common to all words, bits 8..15 appear
 * only on agent words and bits 16..23 only on task words, so one mask can be described without
 * knowing which kind of word it came from.
 */
public final class StatusFlags {

  /** The word is allocated to a task or agent. */
  public static final int F_INUSE = 1 << 0;

  /** The owner died or departed; the agent may (and must) free the word with SW_FREE. */
  public static final int F_CANFREE = 1 << 1;

  /** The slot is allocated in the region. */
  public static final int F_ALLOCATED = 1 << 2;

  /** Agent word: the CPU runs ghost or idle, i.e. no CFS/RT task holds it. */
  public static final int CPU_AVAIL = 1 << 8;

  /** Agent word: a higher-class task is waiting, so the agent should yield the CPU soon. */
  public static final int BOOST_PRIO = 1 << 9;

  /** Task word: the task is on a CPU now. */
  public static final int TASK_ONCPU = 1 << 16;

  /** Task word: the task is runnable. */
  public static final int TASK_RUNNABLE = 1 << 17;

  /** Task word: the task is an agent. */
  public static final int TASK_IS_AGENT = 1 << 18;

  /**
   * Task word: messages for the task are suppressed until the word is freed (after TASK_DEPARTED).
   */
  public static final int TASK_MSG_GATED = 1 << 19;

  private static final String[] NAMES = {
    "F_INUSE",
    "F_CANFREE",
    "F_ALLOCATED",
    "CPU_AVAIL",
    "BOOST_PRIO",
    "TASK_ONCPU",
    "TASK_RUNNABLE",
    "TASK_IS_AGENT",
    "TASK_MSG_GATED"
  };
  private static final int[] BITS = {
    F_INUSE,
    F_CANFREE,
    F_ALLOCATED,
    CPU_AVAIL,
    BOOST_PRIO,
    TASK_ONCPU,
    TASK_RUNNABLE,
    TASK_IS_AGENT,
    TASK_MSG_GATED
  };

  private StatusFlags() {}

  /** The names of the set bits joined by '|', unknown bits as one hex value, or "none". */
  public static String describe(int flags) {
    return FlagNames.describe(flags, NAMES, BITS);
  }
}
