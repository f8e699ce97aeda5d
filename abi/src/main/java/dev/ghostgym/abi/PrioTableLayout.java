package dev.ghostgym.abi;

/**
 * The byte layout of an application's PrioTable as ghost-userspace shares it with its agents
 * (x86-64, little-endian, 64-byte cache lines), read from {@code shared/shmem.cc} and {@code
 * shared/prio_table.h}/{@code prio_table.cc} at 9ca0a1f.
 *
 * <p>The application creates a memfd named {@code ghost-shmem-priotable} ({@code GhostShmem},
 * {@code kMemFdPrefix} + {@code kPrioTableShmemName}); an agent finds it among the application's
 * open files ({@code /proc/PID/fd/N} whose link reads {@code /memfd:ghost-shmem-priotable ...}) and
 * maps the whole file. The file starts with a page of {@code GhostShmem}'s own header ({@link
 * #SHMEM_HEADER_BYTES}); the PrioTable proper starts after it: a {@code ghost_shmem_hdr}, then
 * {@code si_num} {@code sched_item}s at {@code si_off}, then {@code wc_num} {@code work_class}es at
 * {@code wc_off}, then the update stream at {@code st_off} (offsets from the PrioTable header).
 * There is no magic number: the shmem header's version, sizes and ready flag are what an attaching
 * agent checks ({@code ConnectShmem}).
 */
public final class PrioTableLayout {
  private PrioTableLayout() {}

  /** The memfd's name: {@code kMemFdPrefix} + {@code kPrioTableShmemName}. */
  public static final String MEMFD_NAME = "ghost-shmem-priotable";

  /** What {@code readlink /proc/PID/fd/N} of that memfd starts with. */
  public static final String MEMFD_LINK_PREFIX = "/memfd:" + MEMFD_NAME;

  // GhostShmem::InternalHeader, at file offset 0; the client's bytes start one page later.
  public static final int SHMEM_HEADER_BYTES = 4096;
  public static final int SHMEM_HEADER_VERSION = 0; // int64: kHeaderVersion, must be 1
  public static final long SHMEM_HEADER_VERSION_VALUE = 1;
  public static final int SHMEM_MAPPING_SIZE = 8; // size_t: the whole mapping (file size)
  public static final int SHMEM_HEADER_SIZE = 16; // size_t: SHMEM_HEADER_BYTES
  public static final int SHMEM_CLIENT_SIZE = 24; // size_t: mapping size - header
  public static final int SHMEM_READY = 32; // atomic<bool>: set by MarkReady()
  public static final int SHMEM_FINISHED = 33; // atomic<bool>: set when the owner unmaps
  public static final int SHMEM_OWNING_PID = 36; // pid_t
  public static final int SHMEM_CLIENT_VERSION = 40; // int64: kPrioTableVersion (0)

  /** {@code kPrioTableVersion}: both the shmem client version and {@code hdr->version}. */
  public static final int PRIO_TABLE_VERSION = 0;

  // struct ghost_shmem_hdr (cache-line aligned: 64 bytes), offsets from the PrioTable's start.
  public static final int HDR_BYTES = 64;
  public static final int HDR_VERSION = 0; // u16
  public static final int HDR_HDRLEN = 2; // u16
  public static final int HDR_MAPLEN = 4; // u32
  public static final int HDR_SI_NUM = 8; // u32
  public static final int HDR_SI_OFF = 12; // u32
  public static final int HDR_WC_NUM = 16; // u32
  public static final int HDR_WC_OFF = 20; // u32
  public static final int HDR_ST_CAP = 24; // u32
  public static final int HDR_ST_OFF = 28; // u32

  // struct sched_item (cache-line aligned: 64 bytes).
  public static final int SI_BYTES = 64;
  public static final int SI_SID = 0; // u32
  public static final int SI_WCID = 4; // u32
  public static final int SI_GPID = 8; // u64: the thread's gtid
  public static final int SI_FLAGS = 16; // u32
  public static final int SI_SEQCOUNT = 20; // u32: odd while a writer holds it
  public static final int SI_DEADLINE = 24; // u64: ns since the Unix epoch

  /** {@code sched_item.flags}: the worker has work (the agent may schedule it). */
  public static final int SCHED_ITEM_RUNNABLE = 1;

  /** {@code seqcount::kLocked}: the low bit of the seqcount is set while a write is under way. */
  public static final int SEQCOUNT_LOCKED = 1;

  // struct work_class (cache-line aligned: 64 bytes); read-only after init, no seqcount.
  public static final int WC_BYTES = 64;
  public static final int WC_ID = 0; // u32
  public static final int WC_FLAGS = 4; // u32
  public static final int WC_QOS = 8; // u32
  public static final int WC_EXECTIME = 16; // u64 ns (after 4 bytes of padding)
  public static final int WC_PERIOD = 24; // u64 ns

  /** {@code work_class.flags}. */
  public static final int WORK_CLASS_ONESHOT = 1, WORK_CLASS_REPEATING = 2;
}
