package dev.ghostgym.ghostfs;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.TxnState;
import java.nio.ByteBuffer;

/**
 * The agent's side of the per-CPU transactions in an enclave's {@code cpu_data} mapping: one
 * 4096-byte page per possible CPU, the {@code ghost_txn} at the start of page {@code cpu}. An agent
 * opens a txn by writing its fields and then storing {@code state = READY} with release, submits it
 * with COMMIT_TXN, and reads the outcome once {@code state < 0} (acquire). It may abort a txn the
 * kernel has not claimed yet by CAS READY -> ABORTED.
 */
public final class TxnSlots {

  static final int STRIDE = AbiConstants.CPU_DATA_STRIDE;
  static final int VERSION = 0;
  static final int CPU = 4;
  static final int STATE = 8;
  static final int AGENT_BARRIER = 12;
  static final int TASK_BARRIER = 16;
  static final int RUN_FLAGS = 20;
  static final int COMMIT_FLAGS = 22;
  static final int GTID = 24;
  static final int COMMIT_TIME = 32;
  static final int CPU_SEQNUM = 40;
  static final int SYNC_GROUP_OWNER = 48;

  private final ByteBuffer mem;
  private final int cpus;

  /** Slots over {@code cpuData}, a direct buffer of {@code n * 4096} bytes. */
  private volatile long openPatienceNs = 1_000_000_000L;

  public TxnSlots(ByteBuffer cpuData) {
    if (!cpuData.isDirect()) {
      throw new IllegalArgumentException(
          "cpu_data needs a direct ByteBuffer (mmapped cpu_data or"
              + " ByteBuffer.allocateDirect) for acquire/release and CAS");
    }
    if (cpuData.capacity() == 0 || cpuData.capacity() % STRIDE != 0) {
      throw new IllegalArgumentException(
          "cpu_data mapping is "
              + cpuData.capacity()
              + " bytes; expected a positive multiple of "
              + STRIDE);
    }
    this.mem = cpuData;
    this.cpus = cpuData.capacity() / STRIDE;
  }

  /**
   * Puts every txn in its initial state, as the kernel does: version 0, cpu = i, COMPLETE, owner
   * -1.
   */
  public static TxnSlots format(ByteBuffer cpuData) {
    TxnSlots slots = new TxnSlots(cpuData);
    Le.zero(cpuData, 0, cpuData.capacity());
    for (int cpu = 0; cpu < slots.cpus; cpu++) {
      int at = cpu * STRIDE;
      Le.put32(cpuData, at + VERSION, AbiConstants.GHOST_TXN_VERSION);
      Le.put32(cpuData, at + CPU, cpu);
      Le.put32(cpuData, at + SYNC_GROUP_OWNER, -1);
      Le.put32Release(cpuData, at + STATE, TxnState.COMPLETE.code());
    }
    return slots;
  }

  /** Number of txn slots (possible CPUs). */
  public int cpus() {
    return cpus;
  }

  /** How long {@link #open} waits for the previous txn of a CPU to finish (default 1 s). */
  public void setOpenPatienceNs(long ns) {
    this.openPatienceNs = ns;
  }

  /**
   * Opens the txn of {@code cpu}: writes gtid, barriers and flags, then {@code state = READY} with
   * release. If the previous txn is not finished yet (READY, or claimed by a kernel commit in
   * progress, e.g. one a remote agent started), waits for it as the C++ library's {@code
   * RunRequest::Open} does; IllegalStateException naming the state if it is still not finished
   * after the patience ({@link #setOpenPatienceNs}).
   */
  public void open(
      int cpu, long gtid, int agentBarrier, int taskBarrier, int runFlags, int commitFlags) {
    if ((runFlags & ~0xffff) != 0 || (commitFlags & ~0xff) != 0) {
      throw new IllegalArgumentException(
          "txn run_flags is 16 bits and commit_flags 8 bits; got run_flags 0x"
              + Integer.toHexString(runFlags)
              + ", commit_flags 0x"
              + Integer.toHexString(commitFlags));
    }
    int at = base(cpu);
    int state = Le.i32Acquire(mem, at + STATE);
    if (state >= 0) {
      long deadline = System.nanoTime() + openPatienceNs;
      while ((state = Le.i32Acquire(mem, at + STATE)) >= 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "txn of cpu "
                  + cpu
                  + " is still "
                  + describe(state)
                  + " after "
                  + openPatienceNs / 1_000_000
                  + " ms; it must be committed before another is opened");
        }
        Thread.onSpinWait();
      }
    }
    Le.put32(mem, at + AGENT_BARRIER, agentBarrier);
    Le.put64(mem, at + GTID, gtid);
    Le.put32(mem, at + TASK_BARRIER, taskBarrier);
    Le.put16(mem, at + RUN_FLAGS, runFlags);
    Le.put8(mem, at + COMMIT_FLAGS, commitFlags);
    Le.put32Release(mem, at + STATE, TxnState.READY.code());
  }

  /** The raw state code, loaded with acquire. */
  public int state(int cpu) {
    return Le.i32Acquire(mem, base(cpu) + STATE);
  }

  /** True once the txn is finished ({@code state < 0}). */
  public boolean committed(int cpu) {
    return state(cpu) < 0;
  }

  /** The state as a {@link TxnState}; IllegalArgumentException if the kernel holds it claimed. */
  public TxnState outcome(int cpu) {
    return TxnState.of(state(cpu));
  }

  /** The task the txn of {@code cpu} runs (0: none, the idle txn), as the agent wrote it. */
  public long gtid(int cpu) {
    return Le.i64(mem, base(cpu) + GTID);
  }

  /** When the commit succeeded or failed (ns); meaningful once {@link #committed}. */
  public long commitTime(int cpu) {
    return Le.i64(mem, base(cpu) + COMMIT_TIME);
  }

  /** The CPU's sequence number at commit; meaningful once {@link #committed}. */
  public long cpuSeqnum(int cpu) {
    return Le.i64(mem, base(cpu) + CPU_SEQNUM);
  }

  /**
   * Aborts a txn the kernel has not claimed: CAS READY -> ABORTED. False if it was no longer READY.
   */
  public boolean abort(int cpu) {
    return Le.cas32(mem, base(cpu) + STATE, TxnState.READY.code(), TxnState.ABORTED.code());
  }

  /** All fields, state first (acquire). */
  public Txn read(int cpu) {
    int at = base(cpu);
    int state = Le.i32Acquire(mem, at + STATE);
    return new Txn(
        Le.i32(mem, at + VERSION),
        Le.i32(mem, at + CPU),
        state,
        Le.i32(mem, at + AGENT_BARRIER),
        Le.i32(mem, at + TASK_BARRIER),
        Le.u16(mem, at + RUN_FLAGS),
        Le.u8(mem, at + COMMIT_FLAGS),
        Le.i64(mem, at + GTID),
        Le.i64(mem, at + COMMIT_TIME),
        Le.i64(mem, at + CPU_SEQNUM),
        Le.i32Acquire(mem, at + SYNC_GROUP_OWNER));
  }

  ByteBuffer memory() {
    return mem;
  }

  int base(int cpu) {
    if (cpu < 0 || cpu >= cpus) {
      throw new IndexOutOfBoundsException("cpu " + cpu + " outside cpu_data's 0.." + (cpus - 1));
    }
    return cpu * STRIDE;
  }

  static String describe(int state) {
    if (TxnState.isClaimed(state)) {
      return "claimed by cpu " + state;
    }
    try {
      return TxnState.of(state).name();
    } catch (IllegalArgumentException e) {
      return "state " + state;
    }
  }
}
