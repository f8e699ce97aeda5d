package dev.ghostgym.port;

/**
 * The agents of an enclave, seen from the kernel side: the simulator calls {@link #attach} once
 * when the enclave is created (or an agent process re-attaches), and {@link #activate} whenever the
 * agent of a CPU gets to run. An activation is one pass of the ghOSt agent loop: read the agent
 * barrier, drain the queue, decide, commit or yield.
 */
public interface AgentHost {
  /** Creates queues and becomes the agent of each enclave CPU it wants to serve. */
  void attach(KernelPort port);

  /**
   * Runs one iteration of the agent on {@code cpu}; {@code port} makes its calls from that CPU. The
   * simulator activates the agents of one instant one at a time, in ascending CPU order, and
   * advances only when the last has returned; an agent that suspends (waiting for an outside
   * decision) holds the rest of its instant's agents back until it is resumed, so that a paused run
   * is the same run. A host that runs agents as actors replies to each call before the next.
   */
  void activate(int cpu, KernelPort port);

  /**
   * True when passes of different CPUs may run at the same time, each on its CPU's agent thread
   * with its own port (live mode: the agent threads then share no lock). False by default: the live
   * runner then runs one pass at a time.
   */
  default boolean concurrentPasses() {
    return false;
  }
}
