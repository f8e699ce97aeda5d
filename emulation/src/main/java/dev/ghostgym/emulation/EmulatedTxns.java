package dev.ghostgym.emulation;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.ghostfs.Txn;
import dev.ghostgym.ghostfs.TxnKernel;
import dev.ghostgym.ghostfs.TxnSlots;
import dev.ghostgym.port.KernelPort;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The txn slots of the {@link EmulatedKernel} in the real {@code cpu_data} layout: COMMIT_TXN
 * claims the READY ones ({@link TxnKernel}) and hands their fields to the machine; the machine's
 * verdict is written back (complete) before the agents next run.
 */
final class EmulatedTxns {
  final TxnSlots slots;
  private final TxnKernel kernel;
  private final boolean[] claimed;
  private final int[] claimedList;
  private int claimedCount;
  private int[] targets = new int[8];
  private long commits;

  EmulatedTxns(int cpus) {
    slots = TxnSlots.format(ByteBuffer.allocateDirect(cpus * AbiConstants.CPU_DATA_STRIDE));
    kernel = new TxnKernel(slots);
    claimed = new boolean[cpus];
    claimedList = new int[cpus];
  }

  /** COMMIT_TXN calls so far. */
  long commits() {
    return commits;
  }

  /** Claimed txns whose outcome the machine has decided are completed in memory. */
  void settle(KernelPort cur) {
    int kept = 0;
    for (int i = 0; i < claimedCount; i++) {
      int c = claimedList[i];
      int state = cur.txnState(c);
      if (state < 0) {
        kernel.complete(c, TxnState.of(state), cur.now(), 0);
        claimed[c] = false;
      } else {
        claimedList[kept++] = c;
      }
    }
    claimedCount = kept;
  }

  /**
   * COMMIT_TXN by the agent of {@code callerCpu} (-1: none is running) for the CPUs set in {@code
   * cpuSet}: each READY slot is claimed and opened in the machine, then the machine commits them
   * all.
   */
  void commit(byte[] cpuSet, int callerCpu, KernelPort cur) {
    commits++;
    int n = 0;
    for (int b = 0; b < cpuSet.length; b++) {
      int bits = cpuSet[b] & 0xff;
      while (bits != 0) {
        int c = b * 8 + Integer.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        if (n == targets.length) targets = Arrays.copyOf(targets, n * 2);
        targets[n++] = c;
        if (callerCpu >= 0
            && c < claimed.length
            && slots.state(c) == TxnState.READY.code()
            && kernel.claim(c, callerCpu)) {
          open(c, cur);
        }
      }
    }
    cur.commit(Arrays.copyOf(targets, n));
  }

  private void open(int cpu, KernelPort cur) {
    Txn t = kernel.read(cpu);
    cur.openTxn(cpu, t.gtid(), t.agentBarrier(), t.taskBarrier(), t.runFlags(), t.commitFlags());
    if (!claimed[cpu]) {
      claimed[cpu] = true;
      claimedList[claimedCount++] = cpu;
    }
  }
}
