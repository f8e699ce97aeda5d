package dev.ghostgym.live;

import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageView;

/**
 * Observes what the agents of a process receive and achieve through their {@link GhostPort}s, for
 * live metrics and timelines: every decoded message, the final state of every txn they committed,
 * and (from {@link LiveEnclave}) where each agent pass begins and ends. Called on the agent's
 * thread, by the agents of all CPUs at the same time: an implementation must be thread-safe, and
 * one used for latency measurements must take no lock shared between them (see {@link
 * LiveMetrics}).
 */
public interface PortListener {
  PortListener NONE = new PortListener() {};

  /** {@code m} was decoded from a queue by the agent of {@code cpu} at {@code nowNs}. */
  default void message(int cpu, Message m, long nowNs) {}

  /**
   * True when this listener needs every message as a {@link Message} record (with all its payload
   * fields), so the agents' ports decode records rather than in place; a timeline recorder does,
   * live metrics do not (decoding records allocates per message).
   */
  default boolean wantsRecords() {
    return false;
  }

  /** The same for a message decoded in place ({@link GhostPort#pollInto}). */
  default void message(int cpu, MessageView m, long nowNs) {
    if (m.record() != null) message(cpu, m.record(), nowNs);
  }

  /**
   * The txn the agent committed to {@code cpu} for {@code gtid} ended in {@code state} at {@code
   * commitTimeNs}.
   */
  default void txn(int cpu, long gtid, int state, long commitTimeNs) {}

  /** The agent of {@code cpu} starts a pass at {@code nowNs} (the device's clock). */
  default void passBegin(int cpu, long nowNs) {}

  /**
   * The agent of {@code cpu} finished that pass's work (its commit point): its txns are committed
   * and its yield issued right after.
   */
  default void passEnd(int cpu, long nowNs) {}

  /** Tells {@code a}, then {@code b}, every message and txn outcome. */
  static PortListener both(PortListener a, PortListener b) {
    return new PortListener() {
      @Override
      public void message(int cpu, Message m, long nowNs) {
        a.message(cpu, m, nowNs);
        b.message(cpu, m, nowNs);
      }

      @Override
      public void message(int cpu, MessageView m, long nowNs) {
        a.message(cpu, m, nowNs);
        b.message(cpu, m, nowNs);
      }

      @Override
      public void txn(int cpu, long gtid, int state, long commitTimeNs) {
        a.txn(cpu, gtid, state, commitTimeNs);
        b.txn(cpu, gtid, state, commitTimeNs);
      }

      @Override
      public void passBegin(int cpu, long nowNs) {
        a.passBegin(cpu, nowNs);
        b.passBegin(cpu, nowNs);
      }

      @Override
      public void passEnd(int cpu, long nowNs) {
        a.passEnd(cpu, nowNs);
        b.passEnd(cpu, nowNs);
      }

      @Override
      public boolean wantsRecords() {
        return a.wantsRecords() || b.wantsRecords();
      }
    };
  }
}
