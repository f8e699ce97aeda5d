package dev.ghostgym.sim;

/**
 * The state of a CPU's agent thread. The agent class is picked before CFS and ghOSt tasks, so while
 * the agent is {@link #RUNNABLE}, {@link #RUNNING}, {@link #SPINNING} or {@link #SUSPENDED} no task
 * runs on its CPU.
 */
public enum AgentState {
  /** The CPU has no agent (never attached, died, or the enclave was destroyed). */
  NO_AGENT,
  /** Blocked in the kernel (a RUN yield or an agent-side wait) until a message wakes it. */
  BLOCKED,
  /** Woken: runs at the end of this instant, in CPU order with the others woken now. */
  RUNNABLE,
  /** Working until its commit point. */
  RUNNING,
  /** A global agent polling: it owns the CPU but does nothing new until there is news. */
  SPINNING,
  /** Mid-activation, waiting for a decision from outside the simulation (a gym step). */
  SUSPENDED
}
