package dev.ghostgym.abi;

/**
 * Global task ids ("gtids") and the three special values the kernel gives meaning to. Real tasks
 * have positive gtids. The packing below (tid in the low 32 bits, a generation above it) is
 * ghost-gym's own encoding for the simulator, not the kernel's: agents must treat gtids as opaque
 * and only compare them or test them against the special values.
 */
public final class Gtid {

  /** GHOST_NULL_GTID: commit nothing, i.e. let the CPU idle or yield it. */
  public static final long NULL = 0;

  /** GHOST_AGENT_GTID: run (ping) the agent of the target CPU. */
  public static final long AGENT = -1;

  /** GHOST_IDLE_GTID: run the idle task; the only gtid allowed with NEED_CPU_NOT_IDLE. */
  public static final long IDLE = -2;

  private Gtid() {}

  /**
   * Packs a tid (must be positive, as Linux tids are) and a generation (must be non-negative, so
   * the result stays positive and distinct from the special values) into a gtid.
   */
  public static long of(int tid, int generation) {
    if (tid <= 0) {
      throw new IllegalArgumentException("gtid tid must be positive, got " + tid);
    }
    if (generation < 0) {
      throw new IllegalArgumentException("gtid generation must be >= 0, got " + generation);
    }
    return ((long) generation << 32) | tid;
  }

  /** The tid packed by {@link #of}. */
  public static int tid(long gtid) {
    return (int) gtid;
  }

  /** The generation packed by {@link #of}. */
  public static int generation(long gtid) {
    return (int) (gtid >>> 32);
  }

  /** "null", "agent", "idle" for the special values, else the decimal number. */
  public static String toString(long gtid) {
    if (gtid == NULL) {
      return "null";
    }
    if (gtid == AGENT) {
      return "agent";
    }
    if (gtid == IDLE) {
      return "idle";
    }
    return Long.toString(gtid);
  }
}
