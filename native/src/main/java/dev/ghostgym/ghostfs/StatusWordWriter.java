package dev.ghostgym.ghostfs;

import static dev.ghostgym.ghostfs.StatusWordRegion.AVAILABLE;
import static dev.ghostgym.ghostfs.StatusWordRegion.BARRIER;
import static dev.ghostgym.ghostfs.StatusWordRegion.CAPACITY;
import static dev.ghostgym.ghostfs.StatusWordRegion.FLAGS;
import static dev.ghostgym.ghostfs.StatusWordRegion.GTID;
import static dev.ghostgym.ghostfs.StatusWordRegion.ID;
import static dev.ghostgym.ghostfs.StatusWordRegion.NUMA_NODE;
import static dev.ghostgym.ghostfs.StatusWordRegion.RUNTIME;
import static dev.ghostgym.ghostfs.StatusWordRegion.START;
import static dev.ghostgym.ghostfs.StatusWordRegion.SWITCH_TIME;
import static dev.ghostgym.ghostfs.StatusWordRegion.VERSION;
import static dev.ghostgym.ghostfs.StatusWordRegion.WORD_SIZE;

import dev.ghostgym.abi.AbiConstants;
import java.nio.ByteBuffer;

/**
 * The kernel's side of a status-word region, for tests and the emulated kernel: it formats the
 * header and writes words in the order readers rely on: gtid, times, then {@code flags} with
 * release, then {@code barrier} with release (the kernel bumps the barrier with a release store
 * when it attempts a message, and sets TASK_ONCPU only after {@code switch_time}).
 */
public final class StatusWordWriter {

  private static final int HEADER_SIZE = 64;

  private final ByteBuffer mem;
  private final StatusWordRegion view;

  public StatusWordWriter(ByteBuffer region) {
    this.mem = region;
    this.view = new StatusWordRegion(region);
  }

  /** Writes an empty region header: all words free, start 64, capacity from the buffer size. */
  public static StatusWordWriter format(ByteBuffer region, int id, int numaNode) {
    int capacity = (region.capacity() - HEADER_SIZE) / WORD_SIZE;
    Le.zero(region, 0, region.capacity());
    Le.put32(region, VERSION, AbiConstants.GHOST_SW_REGION_VERSION);
    Le.put32(region, ID, id);
    Le.put32(region, NUMA_NODE, numaNode);
    Le.put32(region, START, HEADER_SIZE);
    Le.put32(region, CAPACITY, capacity);
    Le.put32Release(region, AVAILABLE, capacity);
    return new StatusWordWriter(region);
  }

  /** A reader over the same memory. */
  public StatusWordRegion region() {
    return view;
  }

  /** Writes the whole word: data fields, then flags and barrier with release. */
  public void write(int index, StatusWord w) {
    int at = view.offset(index);
    Le.put64(mem, at + GTID, w.gtid());
    Le.put64(mem, at + SWITCH_TIME, w.switchTime());
    Le.put64(mem, at + RUNTIME, w.runtime());
    Le.put32Release(mem, at + FLAGS, w.flags());
    Le.put32Release(mem, at + BARRIER, w.barrier());
  }

  /** Sets the flags with release. */
  public void setFlags(int index, int flags) {
    Le.put32Release(mem, view.offset(index) + FLAGS, flags);
  }

  /** Sets the barrier with release. */
  public void setBarrier(int index, int barrier) {
    Le.put32Release(mem, view.offset(index) + BARRIER, barrier);
  }

  /**
   * Adds one to the barrier (release), as the kernel does for every message it attempts; returns
   * the new value.
   */
  public int bumpBarrier(int index) {
    int at = view.offset(index) + BARRIER;
    int next = Le.i32(mem, at) + 1;
    Le.put32Release(mem, at, next);
    return next;
  }

  /** Sets the runtime (ns). */
  public void setRuntime(int index, long runtime) {
    Le.put64(mem, view.offset(index) + RUNTIME, runtime);
  }

  /** Sets the region's count of free words (release). */
  public void setAvailable(int available) {
    Le.put32Release(mem, AVAILABLE, available);
  }
}
