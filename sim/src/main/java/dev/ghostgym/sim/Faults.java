package dev.ghostgym.sim;

import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TxnState;
import java.util.ArrayList;
import java.util.List;

/**
 * Agent death and enclave set-up through the port: an agent that dies takes its uncommitted txns
 * with it and its CPU's latched task is preempted; a new agent attaches to a CPU; tasks are
 * discovered again (TASK_NEW for each) after an upgrade; status words are freed.
 */
final class Faults {
  private final Machine m;

  Faults(Machine m) {
    this.m = m;
  }

  /** The agent of {@code cpu} dies (crash, SIGKILL): docs/KERNEL-MODEL.md section 2.10. */
  void killAgent(int cpu) {
    SimCpu c = m.cpus[cpu];
    if (c.agent == AgentState.NO_AGENT) return;
    if (c.agent == AgentState.SUSPENDED) m.agents.suspended--;
    if (c.agent == AgentState.RUNNING || c.agent == AgentState.SUSPENDED)
      c.agentBusy += Math.max(0, m.now - c.agentSince);
    if (c.agent == AgentState.SPINNING) c.agentSpin += m.now - c.agentSince;
    if (c.latched != null) m.dispatch.preemptLatched(c);
    c.latchedIdle = false;
    c.notIdleArmed = false; // the CPU's run flags are cleared with its agent
    // Requests the dead agent had not yet committed die with it.
    for (int i = 0; i < c.commitCount; i++) {
      SimCpu d = m.cpus[c.commitCpus[i]];
      if (d.txnState == TxnState.READY.code()) m.txns.killTxn(d);
    }
    c.commitCount = 0;
    for (int i = 0; i < c.syncCount; i++) {
      SimCpu d = m.cpus[c.syncCpus[i]];
      if (d.txnState == TxnState.READY.code()) m.txns.killTxn(d);
    }
    c.syncCount = 0;
    if (c.txnState == TxnState.READY.code()) m.txns.killTxn(c);
    c.agent = AgentState.NO_AGENT;
    c.agentQueue = -1;
    c.aseq = 0;
    c.yieldFlags = 0;
    c.activationEpoch++;
    m.trace.record(Machine.TR_ACTIVATE, m.now, c.id, -1, -1);
    if (m.observer != null) m.observer.onAgentBlock(m.now, c.id);
    m.dispatch.resched(c);
  }

  void becomeAgent(int cpu, int queue) {
    SimCpu c = m.cpus[cpu];
    m.queue(queue);
    if (c.agent != AgentState.NO_AGENT) {
      throw new IllegalStateException(
          "become agent " + cpu + ": EBUSY, CPU " + cpu + " already has an agent");
    }
    if (c.txnState == TxnState.READY.code()) m.txns.killTxn(c);
    c.agentQueue = queue;
    c.agent = AgentState.BLOCKED;
    m.agents.activate(c);
  }

  void discover() {
    List<SimTask> ghosts = new ArrayList<>();
    for (SimTask t : m.tasks.values()) if (t.ghost && t.state != TaskState.DEAD) ghosts.add(t);
    ghosts.sort((a, b) -> Long.compare(a.gtid, b.gtid));
    for (SimTask t : ghosts) {
      boolean runnable = t.state != TaskState.BLOCKED;
      m.messaging.produceTask(
          t,
          MessageType.TASK_NEW,
          new TaskNew(
              t.gtid, t.parentGtid, t.runtime, runnable, t.nice(), m.arrivals.swInfo(t), 0));
    }
  }

  void freeWord(long gtid) {
    SimTask t = m.tasks.get(gtid);
    if (t == null)
      throw new IllegalArgumentException("sw free: EINVAL, no status word for gtid " + gtid);
    if (t.state == TaskState.DEAD) {
      m.tasks.remove(gtid);
    } else if (t.msgGated) {
      t.msgGated = false;
      m.tasks.remove(gtid); // the CFS thread lives on outside ghOSt, under no gtid
    } else {
      throw new IllegalStateException(
          "sw free: EINVAL, status word of " + gtid + " is not CANFREE");
    }
  }
}
