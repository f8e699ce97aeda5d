package dev.ghostgym.sim.port;

import java.util.function.IntFunction;

/**
 * The agents of an enclave, seen from the kernel side: the simulator calls {@link #attach} once
 * when the enclave is created (or an agent process re-attaches), and {@link #activate} whenever the
 * agent of a CPU gets to run. An activation is one pass of the ghOSt agent loop: read the agent
 * barrier, drain the queue, decide, commit or yield.
 */
public interface AgentHost {
  /** Creates queues and becomes the agent of each enclave CPU it wants to serve. */
  void attach(KernelPort port);

  /** Runs one iteration of the agent on {@code cpu}; {@code port} makes its calls from that CPU. */
  void activate(int cpu, KernelPort port);

  /**
   * Runs the agents of all these CPUs for the current instant (ascending CPU order). The simulator
   * advances only after this returns. Hosts that run agents concurrently override it.
   */
  default void activateAll(int[] cpus, int count, IntFunction<KernelPort> ports) {
    for (int i = 0; i < count; i++) activate(cpus[i], ports.apply(cpus[i]));
  }
}
