package dev.ghostgym.sim;

import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TxnState;

/** One CPU: what runs on it, its agent and agent status word, its txn slot and its CFS runqueue. */
final class SimCpu implements CpuView {
  final int id;
  final boolean taskCpu; // false for the extra CPU of an ideal global agent
  AgentState agent = AgentState.NO_AGENT;
  int agentQueue = -1;
  int aseq;
  int swFlags = StatusFlags.F_INUSE | StatusFlags.CPU_AVAIL;
  boolean wasBlocked; // the running activation started from BLOCKED (pays a switch-in)
  int yieldFlags; // run flags of the RUN yield the agent is blocked in
  int activationEpoch;

  SimTask current; // the task on the CPU (ghOSt or CFS), null when idle or agent
  SimTask latched; // committed ghOSt task waiting for the CPU
  boolean latchedIdle; // IDLE_GTID committed: the CPU runs idle at its next pick
  int idleRunFlags; // run flags of that IDLE_GTID commit (ELIDE_PREEMPT)
  boolean notIdleArmed; // NEED_CPU_NOT_IDLE: tell the agent when a CFS task takes the CPU
  boolean mustResched; // NULL_GTID committed: the running ghOSt task leaves at the next pick
  boolean mustReschedElide; // ... without TASK_PREEMPT (ELIDE_PREEMPT)
  boolean ipiPending; // a remote commit's resched IPI is on its way
  long pickSwitch; // switch time the pick in progress charges the latched task
  final CfsRunQueue cfsRq = new CfsRunQueue();
  int cfsEpoch;

  // txn slot (ghost_txn): kernel-visible fields
  int txnVersion;
  int txnCpu;
  int txnState = TxnState.COMPLETE.code();
  int txnAgentBarrier;
  int txnTaskBarrier;
  int txnRunFlags;
  int txnCommitFlags;
  long txnGtid;
  long cpuSeqnum;

  // the running activation's requests, applied at its commit point
  int[] commitCpus = new int[8];
  int commitCount;
  int[] syncCpus = new int[8]; // GHOST_IOC_SYNC_GROUP_TXN of this pass (one group)
  int syncCount;
  boolean yieldRequested;
  int yieldBarrier;
  int yieldRunFlags;
  int drained; // messages drained whose whole cost is the agent's
  int drainedAfterProduce; // messages drained whose kernel part was charged where produced
  long kernelUntil; // the kernel works on this CPU (message production) until then
  long agentStart; // when the running activation's work starts (after the kernel's)
  long spent; // agent work charged through spend() this activation
  boolean pollDirty; // a polled queue got messages while the agent was busy

  // accounting
  long ghostBusy, cfsBusy, agentBusy;
  long agentSpin; // a spinning agent holding its CPU (agent time, not work)
  long agentSince;

  SimCpu(int id, boolean taskCpu) {
    this.id = id;
    this.taskCpu = taskCpu;
    this.txnCpu = id;
  }

  /** The agent owns the CPU (woken, working, polling or suspended): no task runs here. */
  boolean agentActive() {
    return switch (agent) {
      case RUNNABLE, RUNNING, SPINNING, SUSPENDED -> true;
      case NO_AGENT, BLOCKED -> false;
    };
  }

  boolean cfsWantsCpu() {
    return !cfsRq.isEmpty() || (current != null && !current.ghost);
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public AgentState agentState() {
    return agent;
  }

  @Override
  public int agentBarrier() {
    return aseq;
  }

  @Override
  public int txnState() {
    return txnState;
  }

  @Override
  public long ghostBusyNs() {
    return ghostBusy;
  }

  @Override
  public long cfsBusyNs() {
    return cfsBusy;
  }

  @Override
  public TaskView current() {
    return current;
  }

  @Override
  public TaskView latched() {
    return latched;
  }
}
