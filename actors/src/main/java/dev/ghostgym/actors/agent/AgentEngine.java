package dev.ghostgym.actors.agent;

import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;

/**
 * The agents of one enclave as the rest of the project drives them: what the kernel side calls
 * ({@link AgentHost}), plus what a deployment needs to know to host them: the policy guard that
 * answers their decisions (for fallback counts and hot swap), the CPU of the global agent when one
 * agent decides for all (the actor deployment spawns the global agent and its satellites from it),
 * and how one agent re-attaches after it died. Both of ghOSt's models implement it: {@link
 * PerCpuAgents} ({@code schedulers/fifo/per_cpu}) and {@link CentralizedAgents} ({@code
 * schedulers/fifo/centralized}), so callers ask the engine instead of testing its class.
 */
public interface AgentEngine extends AgentHost {
  /** The guard in front of the policy that answers these agents' decisions. */
  PolicyGuard guard();

  /**
   * The CPU whose agent decides for every CPU (ghOSt's centralized global agent; the other enclave
   * CPUs have satellite agents), or -1 when each CPU's agent schedules its own CPU. Known after
   * {@link #attach}.
   */
  int globalCpu();

  /**
   * Re-attaches the agent of {@code cpu} after it died, as ghOSt's rebootless upgrade does for one
   * agent: it becomes the CPU's agent again on the same queue and has the kernel re-announce every
   * task (TASK_NEW); the task state the engine keeps survives.
   */
  void reattach(int cpu, KernelPort setup);
}
