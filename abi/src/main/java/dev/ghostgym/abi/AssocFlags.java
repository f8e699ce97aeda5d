package dev.ghostgym.abi;

/**
 * Bits of the non-negative status mask that {@code GHOST_IOC_ASSOC_QUEUE} returns on success.
 * BRAND_NEW matters: the task's TASK_NEW is still deferred (it entered ghost while running), so the
 * agent must not expect other messages for it yet.
 */
public final class AssocFlags {

  /** The task was already associated with that queue. */
  public static final int ASSOC_SF_ALREADY = 1 << 0;

  /** The task's TASK_NEW has not been produced yet. */
  public static final int ASSOC_SF_BRAND_NEW = 1 << 1;

  private static final String[] NAMES = {"ASSOC_SF_ALREADY", "ASSOC_SF_BRAND_NEW"};
  private static final int[] BITS = {ASSOC_SF_ALREADY, ASSOC_SF_BRAND_NEW};

  private AssocFlags() {}

  /** The names of the set bits joined by '|', unknown bits as one hex value, or "none". */
  public static String describe(int flags) {
    return FlagNames.describe(flags, NAMES, BITS);
  }
}
