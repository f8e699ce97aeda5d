package dev.ghostgym.sim;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.TxnState;
import java.util.Arrays;

/**
 * Txn commit: at an agent's commit point its txns are validated ({@link TxnCheck}) and applied in
 * CPU order, its own CPU last, with the barrier, latching and IPI effects the kernel's
 * ghost_commit_txn has; then the agent blocks, loops, or keeps spinning.
 */
final class TxnCommit {
  private final Machine m;
  private final SyncGroups syncGroups;
  private SimCpu[] heldIpis; // non-null while a sync group holds its IPIs back
  private int heldIpiCount;

  TxnCommit(Machine m) {
    this.m = m;
    this.syncGroups = new SyncGroups(m, this);
  }

  /** Holds the resched IPIs of the commits that follow until {@link #sendHeldIpis()}. */
  void holdIpis() {
    heldIpis = new SimCpu[m.cpus.length];
    heldIpiCount = 0;
  }

  /** Sends the IPIs held back (ghost_send_reschedule after the sync group's commit loop). */
  void sendHeldIpis() {
    SimCpu[] held = heldIpis;
    int n = heldIpiCount;
    heldIpis = null;
    heldIpiCount = 0;
    for (int i = 0; i < n; i++) m.dispatch.ipi(held[i]);
  }

  /** The agent of c has finished its work: apply its txns (CPU order, its own CPU last). */
  void commitPoint(SimCpu c, int epoch) {
    if (epoch != c.activationEpoch || c.agent != AgentState.RUNNING) return;
    c.agentBusy += m.now - c.agentSince;
    if (m.observer != null) m.observer.onAgentCommitPoint(m.now, c.id);
    Arrays.sort(c.commitCpus, 0, c.commitCount);
    boolean failed = false;
    boolean local = false;
    boolean localOk = false;
    boolean normalLocal = false;
    for (int i = 0; i < c.commitCount; i++) {
      int target = c.commitCpus[i];
      if (target == c.id) {
        normalLocal = true;
        continue;
      }
      failed |= applyTxn(m.cpus[target], false, false) != TxnState.COMPLETE.code();
    }
    if (c.syncCount > 0) {
      int st = syncGroups.commit(c);
      if (st != TxnState.READY.code()) {
        local = true;
        localOk = st == TxnState.COMPLETE.code();
      }
    }
    if (normalLocal) {
      local = true;
      localOk = applyTxn(c, true, failed) == TxnState.COMPLETE.code();
    }
    if (localOk && c.txnGtid == Gtid.AGENT) {
      m.agents.activate(c); // a ping of its own CPU does not block the agent: it loops
    } else if (localOk) {
      // The agent is switched out for the task: the local schedule less the ioctl already paid.
      c.pickSwitch = m.costs.localSchedule() - m.costs.localCommit();
      m.agents.blockAgent(c, 0);
      c.pickSwitch = 0;
    } else if (c.yieldRequested) {
      if (c.yieldBarrier != c.aseq) {
        m.trace.record(Machine.TR_YIELD, m.now, c.id, c.yieldBarrier, -1);
        m.agents.activate(c); // ESTALE: the agent loops
      } else {
        m.trace.record(Machine.TR_YIELD, m.now, c.id, c.yieldBarrier, c.yieldRunFlags);
        c.notIdleArmed = false; // ghost_run: the yield's run flags replace the CPU's
        m.agents.blockAgent(c, c.yieldRunFlags);
      }
    } else if (local) {
      m.agents.activate(c); // failed local commit: the agent loops
    } else {
      // A spinning (global) agent: it keeps the CPU and polls; look again after a commit or when
      // messages arrived while it was busy.
      c.agent = AgentState.SPINNING;
      c.agentSince = m.now; // spinning is agent time (KERNEL-MODEL.md 3.1)
      m.agents.addSpinner(c);
      if (c.commitCount > 0 || c.syncCount > 0 || c.pollDirty || m.agents.hasMessages(c))
        m.agents.activate(c);
    }
  }

  /** Validates and applies the txn of CPU d (kernel side of COMMIT_TXN). Returns the state. */
  int applyTxn(SimCpu d, boolean local, boolean poisoned) {
    if (d.txnState != TxnState.READY.code()) return d.txnState;
    SimTask t = d.txnGtid > 0 ? m.tasks.get(d.txnGtid) : null;
    int st = poisoned ? TxnState.POISONED.code() : TxnCheck.validate(d, t, local, m.enclaveAlive);
    if (m.invariants != null) m.invariants.committed(d, t, local, st);
    d.txnState = st;
    m.metrics.txn(st);
    m.trace.record(Machine.TR_TXN, m.now, d.id, d.txnGtid, st);
    if (m.observer != null) m.observer.onCommit(m.now, d.id, d.txnGtid, TxnState.of(st).name());
    if (st != TxnState.COMPLETE.code()) {
      if ((d.txnCommitFlags & CommitFlags.INC_AGENT_BARRIER_ON_FAILURE) != 0) d.aseq++;
      return st;
    }
    if ((d.txnCommitFlags & CommitFlags.ELIDE_AGENT_BARRIER_INC) == 0) d.aseq++;
    d.cpuSeqnum++;
    if (d.txnGtid == Gtid.AGENT) {
      // A ping (schedule_next(AGENT_GTID)): the agent barrier moves again and the agent runs;
      // the latched task stays latched.
      m.messaging.wakeAgent(d);
      return st;
    }
    // ghost_set_pnt_state: the commit's run flags replace the CPU's (NEED_CPU_NOT_IDLE with them).
    d.notIdleArmed = (d.txnRunFlags & RunFlags.NEED_CPU_NOT_IDLE) != 0;
    if (d.txnGtid == Gtid.IDLE) {
      // The idle task is latched: a latched task is displaced (was_latched), and at the next pick
      // the CPU runs idle, preempting a running ghOSt task.
      if (d.latched != null) m.dispatch.preemptLatched(d);
      d.latchedIdle = true;
      d.idleRunFlags = d.txnRunFlags;
    } else {
      d.latchedIdle = false; // a latched idle task is replaced silently
    }
    if (t != null) {
      t.lastRunFlags = d.txnRunFlags;
      t.rendezvousPoisoned = false; // a new commit of t sets a new rendezvous
      if (t.state != TaskState.ON_CPU) {
        // Unlatch t wherever it is latched, silently (the kernel's ghost_move_task leaves it cached
        // on no CPU and sends no TASK_PREEMPT). t.cpu is where it last ran, not where it is
        // latched: checking only cpus[t.cpu] left a stale latch on a CPU it never ran on (the task
        // later started there too) and re-latching on the same CPU preempted t itself.
        if (t.latched) {
          for (SimCpu x : m.cpus) if (x.latched == t) x.latched = null;
          t.latched = false;
        }
        if (d.latched != null) m.dispatch.preemptLatched(d);
        t.latched = true;
        d.latched = t;
      }
    }
    // ghost_set_pnt_state clears must_resched; schedule_next(NULL_GTID) sets it: the running ghOSt
    // task leaves the CPU at its next pick (an unschedule).
    d.mustResched = d.txnGtid == Gtid.NULL && d.current != null && d.current.ghost;
    d.mustReschedElide = (d.txnRunFlags & RunFlags.ELIDE_PREEMPT) != 0;
    if (local) {
      if (d.mustResched) m.dispatch.resched(d);
    } else if (heldIpis != null) {
      heldIpis[heldIpiCount++] = d; // a sync group sends its IPIs after its last commit
    } else {
      m.dispatch.ipi(d); // the resched IPI: the target picks when it lands
    }
    return st;
  }

  void killTxn(SimCpu d) {
    d.txnState = TxnState.NO_AGENT.code();
    m.metrics.txn(d.txnState);
    m.trace.record(Machine.TR_TXN, m.now, d.id, d.txnGtid, d.txnState);
  }
}
