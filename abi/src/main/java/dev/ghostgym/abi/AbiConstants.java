package dev.ghostgym.abi;

/**
 * Numeric constants of the ghOSt ABI (identical in 84, 90 and 91) plus the sizes and offsets that
 * follow from the x86-64 struct layouts, and the errno values agents check. Kept in one place so
 * the simulator and the live binding cannot disagree on a number.
 */
public final class AbiConstants {

  /** The scheduling policy number of ghost tasks and agents. */
  public static final int SCHED_GHOST = 18;

  /** OR-ed into what {@code sched_getscheduler} returns for an agent. */
  public static final int SCHED_RESET_ON_FORK = 0x40000000;

  public static final int GHOST_QUEUE_VERSION = 0;
  public static final int GHOST_SW_REGION_VERSION = 0;
  public static final int GHOST_TXN_VERSION = 0;

  /** Upper bound on queue slots (a power of two, as every queue size must be). */
  public static final int GHOST_MAX_QUEUE_ELEMS = 65536;

  /** At most this many wakeup CPUs per queue. */
  public static final int GHOST_MAX_WINFO = 2;

  /** {@code enum ghost_type}: the source is an agent, identified by its CPU. */
  public static final int GHOST_AGENT = 0;

  /** {@code enum ghost_type}: the source is a task, identified by its gtid. */
  public static final int GHOST_TASK = 1;

  public static final int TIMERFD_GHOST_ENABLED = 1;
  public static final int GHOST_BASE_GET_GTID = 65536;
  public static final int GHOST_GTID_LOOKUP = 0;

  /** Page size the kernel aligns mappings to (x86-64). */
  public static final int PAGE_SIZE = 4096;

  /** A status-word region file is 2 MiB. */
  public static final int SW_REGION_SIZE = 2 * 1024 * 1024;

  /** Status words per region: (2 MiB - 64-byte header) / 32. */
  public static final int SW_REGION_WORDS = 65534;

  public static final int STATUS_WORD_SIZE = 32;

  /** One page of {@code cpu_data} per possible CPU; the txn of CPU i is at i * 4096. */
  public static final int CPU_DATA_STRIDE = 4096;

  /**
   * msgs[] starts after the 64-byte queue header and 12 bytes of ring indices, so it is only 4-byte
   * aligned.
   */
  public static final int RING_MSGS_OFFSET = 76;

  public static final int QUEUE_HEADER_SIZE = 64;

  /** {@code sizeof(cpu_set_t)}, the {@code mask_len} COMMIT_TXN expects. */
  public static final int CPU_SET_SIZE = 128;

  // errno values (positive; syscalls return them negated) that agents branch on.
  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EACCES = 13;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int EOVERFLOW = 75;
  public static final int ESTALE = 116;

  private static final int RING_INDICES_SIZE = RING_MSGS_OFFSET - QUEUE_HEADER_SIZE;

  private AbiConstants() {}

  /**
   * Bytes to mmap for a queue of {@code nelems} 8-byte slots: {@code PAGE_ALIGN(64 + 12 + nelems *
   * 8)}. {@code nelems} must be a power of two in 1..65536, as CREATE_QUEUE requires.
   */
  public static int queueMapSize(int nelems) {
    if (nelems <= 0 || nelems > GHOST_MAX_QUEUE_ELEMS || Integer.bitCount(nelems) != 1) {
      throw new IllegalArgumentException(
          "queue nelems must be a power of two in 1.." + GHOST_MAX_QUEUE_ELEMS + ", got " + nelems);
    }
    int bytes = QUEUE_HEADER_SIZE + RING_INDICES_SIZE + nelems * 8;
    return (bytes + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
  }
}
