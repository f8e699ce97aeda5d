package dev.ghostgym.sim;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.TaskPreempt;
import dev.ghostgym.abi.TxnState;
import java.util.HashMap;
import java.util.HashSet;

/**
 * Checks the invariants of docs/KERNEL-MODEL.md section 2.14 while a simulation runs and throws
 * {@link InvariantViolation} at the first broken one. Switched on in tests and with {@code
 * --check}; it costs a few hash-map operations per event.
 */
final class Invariants {
  private final Machine m;
  private final HashMap<Long, Integer> lastDelivered = new HashMap<>();
  private final HashSet<Long> scheduledIn = new HashSet<>();

  Invariants(Machine m) {
    this.m = m;
  }

  /** Every message attempt (produced or suppressed) for a task. */
  void produced(SimTask t, MessageType type, Object payload) {
    switch (type) {
      case TASK_BLOCKED, TASK_YIELD -> endDeschedule(t, type);
      case TASK_PREEMPT -> {
        if (!(payload instanceof TaskPreempt p && p.wasLatched())) endDeschedule(t, type);
      }
      case TASK_DEAD, TASK_DEPARTED -> scheduledIn.remove(t.gtid);
      default -> {}
    }
  }

  // (5) exactly one of BLOCKED, YIELD or PREEMPT per descheduling of a running task.
  private void endDeschedule(SimTask t, MessageType type) {
    if (!scheduledIn.remove(t.gtid)) {
      fail(
          5,
          type
              + " for task "
              + t.gtid
              + " that was not descheduled from a CPU (or got two messages)");
    }
  }

  // (1) per task, delivered seqnums strictly increase.
  void delivered(Message msg) {
    if (!msg.type().isTaskMessage()) return;
    long gtid = msg.gtid();
    Integer last = lastDelivered.get(gtid);
    if (last != null && msg.seqnum() <= last) {
      fail(1, "task " + gtid + " got seqnum " + msg.seqnum() + " after " + last);
    }
    if (msg.type() == MessageType.TASK_DEAD) lastDelivered.remove(gtid);
    else lastDelivered.put(gtid, msg.seqnum());
  }

  // (6) one of {CFS task, agent, ghost task} per CPU; a ghost task only with an agent and no CFS.
  // (7) no ghost task starts on a CPU whose agent died.
  void beforeStart(SimCpu c, SimTask t) {
    if (c.agentActive())
      fail(6, "task " + t.gtid + " starts on CPU " + c.id + " while its agent runs");
    if (c.current != null)
      fail(6, "CPU " + c.id + " starts " + t.gtid + " while running " + c.current.gtid);
    if (t.ghost) {
      if (c.agent == AgentState.NO_AGENT)
        fail(7, "ghost task " + t.gtid + " starts on agent-less CPU " + c.id);
      if (!c.cfsRq.isEmpty())
        fail(6, "ghost task " + t.gtid + " starts on CPU " + c.id + " while CFS is runnable");
      scheduledIn.add(t.gtid);
    }
  }

  // (3) a commit succeeds only for a current barrier, runnable and off-CPU (or allowed on-CPU).
  // (4) a local commit fails AGENT_STALE exactly when the agent barrier moved.
  void committed(SimCpu d, SimTask t, boolean local, int state) {
    boolean ok = state == TxnState.COMPLETE.code();
    if (ok && t != null) {
      if (d.txnTaskBarrier != t.barrier)
        fail(3, "commit of " + t.gtid + " with stale barrier succeeded");
      boolean allowedOnCpu =
          (d.txnCommitFlags & CommitFlags.ALLOW_TASK_ONCPU) != 0 && t.cpu == d.id;
      if (t.state == TaskState.BLOCKED
          || t.state == TaskState.DEAD
          || (t.state == TaskState.ON_CPU && !allowedOnCpu)) {
        fail(3, "commit of " + t.gtid + " in state " + t.state + " succeeded");
      }
    }
    if (ok && d.agent == AgentState.NO_AGENT)
      fail(7, "commit to agent-less CPU " + d.id + " succeeded");
    if (local && d.txnGtid != Gtid.AGENT && (d.txnRunFlags & RunFlags.DO_NOT_PREEMPT) == 0) {
      boolean moved = d.txnAgentBarrier != d.aseq;
      if (ok && moved)
        fail(4, "local commit on CPU " + d.id + " succeeded with a stale agent barrier");
      if (state == TxnState.AGENT_STALE.code() && !moved) {
        fail(4, "local commit on CPU " + d.id + " failed AGENT_STALE with a current barrier");
      }
    }
  }

  // (8) after enclave destruction every task is in CFS.
  void afterDestroy() {
    for (SimTask t : m.tasks.values()) {
      if (t.ghost && t.state != TaskState.DEAD)
        fail(8, "task " + t.gtid + " still in ghOSt after destroy");
    }
  }

  /** Every task is accounted for: arrived = completed + departed + still running. */
  void atEnd() {
    var x = m.metrics();
    long running = m.accounting.inSystem() - m.accounting.departedAlive();
    if (x.arrived() != x.completed() + x.departed() + running) {
      fail(
          0,
          "accounting: arrived "
              + x.arrived()
              + " != completed "
              + x.completed()
              + " + departed "
              + x.departed()
              + " + running "
              + running);
    }
  }

  private static void fail(int rule, String what) {
    throw new InvariantViolation(rule, what);
  }
}
