package dev.ghostgym.ghostfs;

import java.nio.ByteBuffer;

/**
 * A status-word region ({@code sw_regions/sw_<id>}, mapped read-only by agents): a 64-byte {@code
 * ghost_sw_region_header}, then 32-byte {@code ghost_status_word}s from {@code header.start}. Reads
 * follow the kernel's ordering: {@code barrier} first with acquire, then {@code flags} with
 * acquire, then the rest, so a reader that sees a barrier also sees what the kernel wrote before
 * it.
 */
public final class StatusWordRegion {

  static final int VERSION = 0;
  static final int ID = 4;
  static final int NUMA_NODE = 8;
  static final int START = 12;
  static final int CAPACITY = 16;
  static final int AVAILABLE = 20;
  static final int WORD_SIZE = 32;
  static final int BARRIER = 0;
  static final int FLAGS = 4;
  static final int GTID = 8;
  static final int SWITCH_TIME = 16;
  static final int RUNTIME = 24;

  private final ByteBuffer mem;
  private final int start;
  private final int capacity;

  /** A reader over {@code region} (a direct buffer with an initialised header). */
  public StatusWordRegion(ByteBuffer region) {
    if (!region.isDirect()) {
      throw new IllegalArgumentException(
          "a status-word region needs a direct ByteBuffer (mmapped sw_<id> or"
              + " ByteBuffer.allocateDirect) for acquire loads");
    }
    this.mem = region;
    this.start = Le.i32(region, START);
    this.capacity = Le.i32(region, CAPACITY);
    long end = (long) start + (long) capacity * WORD_SIZE;
    if (start < 64 || start % WORD_SIZE != 0 || capacity < 0 || end > region.capacity()) {
      throw new IllegalArgumentException(
          "status-word region header says start "
              + start
              + " and capacity "
              + capacity
              + " words, which does not fit the "
              + region.capacity()
              + "-byte mapping");
    }
  }

  public int version() {
    return Le.i32(mem, VERSION);
  }

  /** The region id (the {@code <id>} of {@code sw_<id>} and of {@code SwInfo.id}). */
  public int id() {
    return Le.i32(mem, ID);
  }

  public int numaNode() {
    return Le.i32(mem, NUMA_NODE);
  }

  /** Byte offset of word 0 (64). */
  public int start() {
    return start;
  }

  /** Number of words in the region (65534 for a 2 MiB region). */
  public int capacity() {
    return capacity;
  }

  /** Words not yet allocated. */
  public int available() {
    return Le.i32Acquire(mem, AVAILABLE);
  }

  /** The word's barrier alone, with acquire. */
  public int barrier(int index) {
    return Le.i32Acquire(mem, offset(index) + BARRIER);
  }

  /** The word's flags alone, with acquire. */
  public int flags(int index) {
    return Le.i32Acquire(mem, offset(index) + FLAGS);
  }

  /**
   * Word {@code index}: barrier (acquire), then flags (acquire), then gtid, switch_time, runtime.
   */
  public StatusWord read(int index) {
    int at = offset(index);
    int barrier = Le.i32Acquire(mem, at + BARRIER);
    int flags = Le.i32Acquire(mem, at + FLAGS);
    return new StatusWord(
        barrier,
        flags,
        Le.i64(mem, at + GTID),
        Le.i64(mem, at + SWITCH_TIME),
        Le.i64(mem, at + RUNTIME));
  }

  /** Byte offset of word {@code index}: start + 32 * index. */
  public int offset(int index) {
    if (index < 0 || index >= capacity) {
      throw new IndexOutOfBoundsException(
          "status word index " + index + " outside 0.." + (capacity - 1));
    }
    return start + WORD_SIZE * index;
  }
}
