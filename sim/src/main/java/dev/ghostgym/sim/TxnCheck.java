package dev.ghostgym.sim;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.TxnState;

/**
 * The kernel's commit-time validation of a txn, in the documented order of checks
 * (docs/KERNEL-MODEL.md section 2.4): the first failing check decides the failure code. Pure: it
 * reads the target CPU, the task and the enclave state and returns a txn state code.
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
      // validate_next_task: a departed task whose word the agent has not freed (messages
      // inhibited) is TARGET_STALE, checked before the policy.
      if (task.msgGated) return TxnState.TARGET_STALE.code();
      if (!task.ghost) return TxnState.INVALID_TARGET.code();
      if (task.state == TaskState.DEAD || cpu.txnTaskBarrier != task.barrier) {
        return TxnState.TARGET_STALE.code();
      }
      if (task.state == TaskState.BLOCKED) return TxnState.TARGET_NOT_RUNNABLE.code();
      if (task.state == TaskState.ON_CPU) {
        boolean allowed =
            (cpu.txnCommitFlags & CommitFlags.ALLOW_TASK_ONCPU) != 0 && task.cpu == cpu.id;
        if (!allowed) return TxnState.TARGET_ONCPU.code();
      }
    } else if (gtid < Gtid.IDLE) {
      return TxnState.INVALID_TARGET.code();
    } else if (gtid == Gtid.IDLE
        && (cpu.txnCommitFlags & CommitFlags.ALLOW_TASK_ONCPU) == 0
        && cpu.current == null
        && !cpu.agentActive()) {
      return TxnState.TARGET_ONCPU.code(); // validate_next_offcpu: the idle task is running there
    }
    if (cpu.agent == AgentState.NO_AGENT) return TxnState.NO_AGENT.code();
    if (!enclaveAlive || !cpu.taskCpu) return TxnState.CPU_UNAVAIL.code();
    boolean toTask = gtid > 0 || gtid == Gtid.IDLE; // the kernel's 'next'
    if (toTask
        && (cpu.txnRunFlags & RunFlags.DO_NOT_PREEMPT) != 0
        && ((cpu.current != null && cpu.current.ghost) || cpu.latched != null || cpu.latchedIdle)) {
      return TxnState.AGENT_STALE.code();
    }
    // ghost_can_schedule: only a higher-class task that is on the CPU now (rq->curr) makes the
    // commit fail; one that is merely runnable there lets the task latch, and CFS then displaces
    // the latch with TASK_PREEMPT{was_latched}. IDLE_GTID is refused the same way.
    boolean higherClassOnCpu = cpu.current != null && !cpu.current.ghost;
    if (toTask && higherClassOnCpu) return TxnState.CPU_UNAVAIL.code();
    // Only a local commit checks the agent barrier: remote commits skip it on purpose, so that a
    // busy target CPU cannot livelock the global agent.
    if (local && gtid != Gtid.AGENT && cpu.txnAgentBarrier != cpu.aseq)
      return TxnState.AGENT_STALE.code();
    return TxnState.COMPLETE.code();
  }
}
