package dev.ghostgym.live;

import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageView;

/**
 * Observes what the agents of a process receive and achieve through their {@link GhostPort}s, for
 * live metrics: every decoded message and the final state of every txn they committed. Called on
 * the agent's thread, by the agents of all CPUs at the same time: an implementation must be
 * thread-safe without a lock shared between them (see {@link LiveMetrics}).
 */
public interface PortListener {
  PortListener NONE = new PortListener() {};

  /** {@code m} was decoded from a queue by the agent of {@code cpu} at {@code nowNs}. */
  default void message(int cpu, Message m, long nowNs) {}

  /** The same for a message decoded in place ({@link GhostPort#pollInto}). */
  default void message(int cpu, MessageView m, long nowNs) {
    if (m.record() != null) message(cpu, m.record(), nowNs);
  }

  /**
   * The txn the agent committed to {@code cpu} for {@code gtid} ended in {@code state} at {@code
   * commitTimeNs}.
   */
  default void txn(int cpu, long gtid, int state, long commitTimeNs) {}
}
