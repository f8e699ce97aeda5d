package dev.ghostgym.ghostfs;

import static dev.ghostgym.ghostfs.TxnSlots.COMMIT_TIME;
import static dev.ghostgym.ghostfs.TxnSlots.CPU_SEQNUM;
import static dev.ghostgym.ghostfs.TxnSlots.STATE;
import static dev.ghostgym.ghostfs.TxnSlots.SYNC_GROUP_OWNER;

import dev.ghostgym.abi.TxnState;
import java.nio.ByteBuffer;

/**
 * The kernel's side of the txn protocol over the same {@code cpu_data} memory, for tests and the
 * emulated kernel: it claims a READY txn by CAS READY -> claiming CPU (which fails if the agent
 * aborted it first), then completes it by writing {@code commit_time} and {@code cpu_seqnum} and
 * storing the final state with release.
 */
public final class TxnKernel {

  private final TxnSlots slots;
  private final ByteBuffer mem;

  public TxnKernel(TxnSlots slots) {
    this.slots = slots;
    this.mem = slots.memory();
  }

  /**
   * Claims the txn of {@code cpu} for {@code claimer} (CAS READY -> claimer); false if it was not
   * READY.
   */
  public boolean claim(int cpu, int claimer) {
    if (!TxnState.isClaimed(claimer)) {
      throw new IllegalArgumentException("a txn is claimed by a cpu id >= 0, got " + claimer);
    }
    return Le.cas32(mem, slots.base(cpu) + STATE, TxnState.READY.code(), claimer);
  }

  /** The txn as the kernel validates it. */
  public Txn read(int cpu) {
    return slots.read(cpu);
  }

  /**
   * Finishes a claimed txn with {@code outcome} (a final state): writes the times, then the state
   * with release. IllegalStateException naming the state if the txn is not claimed.
   */
  public void complete(int cpu, TxnState outcome, long commitTime, long cpuSeqnum) {
    if (!outcome.isFinal()) {
      throw new IllegalArgumentException("a txn completes with a final state, not " + outcome);
    }
    int at = slots.base(cpu);
    int state = Le.i32Acquire(mem, at + STATE);
    if (!TxnState.isClaimed(state)) {
      throw new IllegalStateException(
          "txn of cpu "
              + cpu
              + " is "
              + TxnSlots.describe(state)
              + ", not claimed; claim it before completing it");
    }
    Le.put64(mem, at + COMMIT_TIME, commitTime);
    Le.put64(mem, at + CPU_SEQNUM, cpuSeqnum);
    Le.put32Release(mem, at + STATE, outcome.code());
  }

  /** Sets {@code u.sync_group_owner} (release); -1 means none. */
  public void setSyncGroupOwner(int cpu, int owner) {
    Le.put32Release(mem, slots.base(cpu) + SYNC_GROUP_OWNER, owner);
  }
}
