package dev.ghostgym.sim;

/**
 * One CPU of a {@link Machine} as tests and tools may see it: read-only, and live (it reads the
 * machine's state when asked, so keep it only while the machine stands still, e.g. inside {@link
 * Machine#at}). Writing the kernel's state goes through the agents' port, never through this.
 */
public interface CpuView {
  int id();

  AgentState agentState();

  /** The agent's barrier (Aseq): bumped by each message or wakeup aimed at the agent. */
  int agentBarrier();

  /** The state code ({@link dev.ghostgym.abi.TxnState#code()}) of the CPU's txn slot. */
  int txnState();

  /** Time ghOSt tasks ran here (ns), not counting a burst in progress. */
  long ghostBusyNs();

  /** Time CFS tasks ran here (ns), not counting a burst in progress. */
  long cfsBusyNs();

  /** The task on the CPU, or null when it is idle or its agent runs. */
  TaskView current();

  /** The ghOSt task committed to this CPU and not yet running, or null. */
  TaskView latched();
}
