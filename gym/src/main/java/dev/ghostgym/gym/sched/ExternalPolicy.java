package dev.ghostgym.gym.sched;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.ForwardingPolicy;
import dev.ghostgym.actors.policy.Policy;
import java.util.ArrayDeque;
import java.util.function.Predicate;

/**
 * The policy slot of an environment: the questions the environment exposes are deferred until a
 * step answers them (the simulation pauses meanwhile); every other question goes to a base policy.
 * Model, slice and preemption behaviour (everything but the name and the exposed answers) are the
 * base's, so the agents are organised as for it. Every answer (a step's or the base's) costs {@code
 * decisionCostNs} of agent time, as a deployed learned policy's does ({@code FastPolicy}, {@code
 * LearnedPolicy}), so that a policy is trained under the cost it will pay: the agents charge it
 * through {@code KernelPort.spend} once per answer (a deferred question is charged when it is
 * answered).
 */
final class ExternalPolicy extends ForwardingPolicy {
  private final Predicate<DecisionRequest> exposed;
  private final ArrayDeque<Integer> answers = new ArrayDeque<>();
  private final long decisionCostNs;
  private DecisionRequest pending;
  private long decisions;

  ExternalPolicy(Policy base, Predicate<DecisionRequest> exposed, long decisionCostNs) {
    super(base);
    this.exposed = exposed;
    this.decisionCostNs = decisionCostNs;
  }

  Policy base() {
    return inner;
  }

  /** Answers given so far (each charged {@link #decisionCostNs()} by the agents). */
  long decisions() {
    return decisions;
  }

  /** The question waiting for a step, or null. */
  DecisionRequest pending() {
    return pending;
  }

  /** Answers the pending question (and, for a two-part decision, the question that follows). */
  void answer(int... values) {
    for (int v : values) answers.addLast(v);
    pending = null;
  }

  @Override
  public String name() {
    return "external(" + inner.name() + ")";
  }

  @Override
  public long decisionCostNs() {
    return decisionCostNs;
  }

  @Override
  public int decide(DecisionRequest r) {
    if (!exposed.test(r)) {
      decisions++;
      return inner.decide(r);
    }
    Integer a = answers.pollFirst();
    if (a != null) {
      decisions++;
      return a;
    }
    pending = r;
    return DEFER;
  }
}
