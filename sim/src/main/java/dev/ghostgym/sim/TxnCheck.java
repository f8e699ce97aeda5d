package dev.ghostgym.sim;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.TxnState;

/**
 * The kernel's commit-time validation of a txn, in the documented order of checks
 * (ghost-model.md section 2.4): the first failing check decides the failure code. Pure: it reads
 * the target CPU, the task and the enclave state and returns a txn state code.
 */
final class TxnCheck {
  private TxnCheck() {}

  static int validate(SimCpu cpu, SimTask task, boolean local, boolean enclaveAlive) {
    if (cpu.txnVersion != 0) return TxnState.UNSUPPORTED_VERSION.code();
    if (cpu.txnCpu != cpu.id) return TxnState.INVALID_CPU.code();
    long gtid = cpu.txnGtid;
    if (!RunFlags.valid(cpu.txnRunFlags, gtid)) return TxnState.INVALID_FLAGS.code();
    if (!CommitFlags.valid(cpu.txnCommitFlags)) return TxnState.INVALID_FLAGS.code();
    if (gtid > 0) {
      if (task == null) return TxnState.TARGET_NOT_FOUND.code();
      if (!task.ghost) return TxnState.INVALID_TARGET.code();
      if (task.msgGated || task.state == TaskState.DEAD || cpu.txnTaskBarrier != task.barrier) {
        return TxnState.TARGET_STALE.code();
      }
      if (task.state == TaskState.BLOCKED) return TxnState.TARGET_NOT_RUNNABLE.code();
      if (task.state == TaskState.ON_CPU) {
        boolean allowed = (cpu.txnCommitFlags & CommitFlags.ALLOW_TASK_ONCPU) != 0 && task.cpu == cpu.id;
        if (!allowed) return TxnState.TARGET_ONCPU.code();
      }
    } else if (gtid < Gtid.IDLE) {
      return TxnState.INVALID_TARGET.code();
    }
    if (cpu.agent == AgentState.NO_AGENT) return TxnState.NO_AGENT.code();
    if (!enclaveAlive || !cpu.taskCpu) return TxnState.CPU_UNAVAIL.code();
    if ((cpu.txnRunFlags & RunFlags.DO_NOT_PREEMPT) != 0
        && ((cpu.current != null && cpu.current.ghost) || cpu.latched != null)) {
      return TxnState.AGENT_STALE.code();
    }
    if (gtid > 0 && cpu.cfsWantsCpu()) return TxnState.CPU_UNAVAIL.code();
    // Only a local commit checks the agent barrier: remote commits skip it on purpose, so that a
    // busy target CPU cannot livelock the global agent.
    if (local && gtid != Gtid.AGENT && cpu.txnAgentBarrier != cpu.aseq) return TxnState.AGENT_STALE.code();
    return TxnState.COMPLETE.code();
  }
}
