package dev.ghostgym.actors.policy;

/**
 * A scheduling policy: plain Java, a function from a {@link DecisionRequest} to an integer answer
 * whose meaning depends on the request's kind (see {@link DecisionRequest.Kind}). The agents keep
 * the queues, talk to the kernel and call the policy at decision points; a policy keeps no kernel
 * state of its own, so it can be tested without a simulator and swapped while an enclave runs.
 */
public interface Policy {
  /**
   * An answer meaning "not yet": the agent suspends at this decision and the simulation pauses
   * until the answer is known (a gym step); the same question is then asked again.
   */
  int DEFER = Integer.MIN_VALUE;

  /** How the agents are organised for this policy. */
  enum Model {
    PER_CPU,
    CENTRALIZED
  }

  String name();

  Model model();

  /** True when the policy reads the oracle (true remaining service); marked in every output. */
  default boolean oracle() {
    return false;
  }

  /** Time slice in ns for centralized policies that preempt; 0 = run to completion. */
  default long sliceNs() {
    return 0;
  }

  /** How a centralized agent enforces {@link #sliceNs()}. */
  enum SliceStyle {
    /**
     * A ghOSt timer per commit; when it fires the policy is asked (SLICE); renewed if nobody waits.
     */
    TIMER,
    /**
     * ghost-userspace's Shinjuku: elapsed time since the commit is polled in every round, after
     * idle CPUs are filled; the slice is never renewed, so an expired task is preempted as soon as
     * another task waits.
     */
    POLLED
  }

  default SliceStyle sliceStyle() {
    return SliceStyle.TIMER;
  }

  /**
   * Simulated time the policy takes per decision, charged to the agent (a learned model's
   * inference).
   */
  default long decisionCostNs() {
    return 0;
  }

  /** True when the policy wants PREEMPT requests when a task arrives and no CPU is free (SRPT). */
  default boolean preemptsOnArrival() {
    return false;
  }

  /**
   * True when the agent follows the application's PrioTable as ghost-userspace's Shinjuku does
   * ({@code SchedParamsCallback}, {@code Enqueue}, {@code GlobalSchedule}): a task whose sched item
   * is not RUNNABLE is held out of the run queue until its item says RUNNABLE again, and a waiting
   * task of higher QoS preempts a running one of lower QoS without waiting for its slice.
   */
  default boolean followsPrioTable() {
    return false;
  }

  /** Answers one request. */
  int decide(DecisionRequest request);
}
