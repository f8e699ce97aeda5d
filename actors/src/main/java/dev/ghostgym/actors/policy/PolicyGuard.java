package dev.ghostgym.actors.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Puts a policy between the agents and its failures. Every answer is checked against its request; a
 * policy that throws, answers out of range, or needs longer than the decision deadline gets the
 * deterministic per-CPU FIFO answer instead, and the case is counted by reason. The policy can be
 * replaced while the enclave runs (hot swap): the next decision goes to the new one.
 */
public final class PolicyGuard {
  /** Why an answer came from the fallback. */
  public enum Reason {
    EXCEPTION,
    INVALID,
    TIMEOUT
  }

  private volatile Policy policy;
  private final long deadlineNs;
  // Per-CPU agents decide at the same time in live mode: lock-free counters, no monitor.
  private final AtomicLongArray fallbacks = new AtomicLongArray(Reason.values().length);
  private final AtomicLong nextId = new AtomicLong();
  private final Fifo fifo; // the fallback: ghOSt's FIFO answer to any question
  private volatile RuntimeException lastError;

  /**
   * @param deadlineNs decision deadline in ns of (simulated) agent time; a policy slower than this
   *     times out
   */
  public PolicyGuard(Policy policy, long deadlineNs) {
    if (deadlineNs <= 0)
      throw new IllegalArgumentException("decision deadline: expected > 0 ns, got " + deadlineNs);
    this.policy = policy;
    this.deadlineNs = deadlineNs;
    this.fifo = new Fifo(policy.model());
  }

  public Policy policy() {
    return policy;
  }

  /** Replaces the policy; decisions from now on go to {@code next}. */
  public void swap(Policy next) {
    if (next.model() != policy.model()) {
      throw new IllegalArgumentException(
          "policy swap: "
              + next.name()
              + " needs the "
              + next.model()
              + " agents, the enclave runs "
              + policy.model());
    }
    policy = next;
  }

  /** A request id, increasing. */
  public long nextId() {
    return nextId.incrementAndGet();
  }

  /** Agent time the decision takes: the policy's cost, cut at the deadline. */
  public long costNs() {
    return Math.min(policy.decisionCostNs(), deadlineNs);
  }

  /** The policy's answer if it is valid and in time, else the FIFO answer (counted). */
  public int decide(DecisionRequest r) {
    Policy p = policy;
    if (p.decisionCostNs() > deadlineNs) return fallback(r, Reason.TIMEOUT);
    int answer;
    try {
      answer = p.decide(r);
    } catch (RuntimeException e) {
      lastError = e;
      return fallback(r, Reason.EXCEPTION);
    }
    if (answer == Policy.DEFER) return answer;
    return valid(r, answer) ? answer : fallback(r, Reason.INVALID);
  }

  /** Counts of fallback answers by reason (only reasons that happened). */
  public Map<String, Long> fallbacks() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Reason r : Reason.values()) {
      long v = fallbacks.get(r.ordinal());
      if (v > 0) m.put(r.name().toLowerCase(), v);
    }
    return m;
  }

  public long fallbackTotal() {
    long n = 0;
    for (int i = 0; i < fallbacks.length(); i++) n += fallbacks.get(i);
    return n;
  }

  /** The last exception a policy threw (for reports), or null. */
  public RuntimeException lastError() {
    return lastError;
  }

  static boolean valid(DecisionRequest r, int a) {
    return switch (r.kind()) {
      case PLACE -> {
        for (CpuView c : r.cpus()) if (c.cpu() == a) yield true;
        yield false;
      }
      case INSERT -> a >= 0 && a <= r.runQueue().size();
      case PICK -> a >= -1 && a < r.runQueue().size();
      case SLICE -> a == 0 || a == 1;
      case PREEMPT -> {
        if (a == -1) yield true;
        for (CpuView c : r.cpus()) if (c.cpu() == a && c.current() != null) yield true;
        yield false;
      }
    };
  }

  private int fallback(DecisionRequest r, Reason why) {
    fallbacks.incrementAndGet(why.ordinal());
    return fifo.decide(r);
  }
}
