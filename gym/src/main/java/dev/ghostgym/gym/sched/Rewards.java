package dev.ghostgym.gym.sched;

import dev.ghostgym.sim.metrics.TaskRecord;
import java.util.List;

/**
 * The reward of a step, computed from what happened in the simulation since the previous step.
 * Times are in milliseconds. {@code wait} (the default) is minus the time tasks spent waiting for a
 * CPU since the last step, so an episode's return is minus the total waiting time (Park's
 * load-balance reward); the others score the tasks that finished during the step.
 */
final class Rewards {
  /** The selectable rewards (option {@code reward}). */
  enum Kind {
    /** Minus waiting time (runnable, not running) of enclave tasks since the last step. */
    WAIT,
    /** Minus the sum of the response times of tasks that finished in the step. */
    RESPONSE,
    /** Minus the sum of the slowdowns (response / CPU time) of tasks that finished in the step. */
    SLOWDOWN,
    /** Minus how far tasks that finished in the step overshot the latency target, in targets. */
    P99,
    /**
     * Tail-aware slowdown: minus the sum over tasks that finished in the step of their slowdown
     * plus the square of their waiting beyond {@code p99_target} in units of their own CPU time. A
     * short task kept waiting past the allowance costs quadratically more the longer it waits (the
     * tail), a long one hardly at all (its wait is small against its CPU time), so the policy is
     * pushed to bound short tasks' waits rather than only their mean.
     */
    TAIL,
    /** The number of tasks that finished in the step. */
    THROUGHPUT,
    /**
     * Jain's index of the slowdowns of the tasks that finished in the step (1 = all equal; 0 if
     * none).
     */
    FAIRNESS,
    /** Always 0, as the seed prototype's reward. */
    NONE;

    static Kind parse(String name) {
      for (Kind k : values()) if (k.name().equalsIgnoreCase(name)) return k;
      throw new IllegalArgumentException(
          "reward: expected one of "
              + List.of(values()).stream().map(k -> k.name().toLowerCase()).toList()
              + ", got '"
              + name
              + "'");
    }
  }

  private final Kind kind;
  private final double targetNs;
  private long lastWaitNs;
  private int finished;
  private double sumResponseNs;
  private double sumSlowdown;
  private double sumSlowdownSq;
  private double overshoot;
  private double tail;

  Rewards(Kind kind, double targetNs) {
    if (!(targetNs > 0))
      throw new IllegalArgumentException("p99_target: expected > 0, got " + targetNs + " ns");
    this.kind = kind;
    this.targetNs = targetNs;
  }

  /** A task finished (exited or left ghOSt); counted in the current step. */
  void finished(TaskRecord t) {
    if (t.departed()) return;
    long response = t.end() - t.arrival();
    double slowdown = t.runtimeNs() > 0 ? (double) response / t.runtimeNs() : 1.0;
    finished++;
    sumResponseNs += response;
    sumSlowdown += slowdown;
    sumSlowdownSq += slowdown * slowdown;
    overshoot += Math.max(0, response - targetNs) / targetNs;
    double excess =
        Math.max(0, response - t.runtimeNs() - targetNs) / Math.max(t.runtimeNs(), targetNs);
    tail += slowdown + excess * excess;
  }

  /** The reward since the last call; {@code waitingNs} is the machine's total waiting time now. */
  double collect(long waitingNs) {
    double r =
        switch (kind) {
          case WAIT -> -(waitingNs - lastWaitNs) / 1e6;
          case RESPONSE -> -sumResponseNs / 1e6;
          case SLOWDOWN -> -sumSlowdown;
          case P99 -> -overshoot;
          case TAIL -> -tail;
          case THROUGHPUT -> finished;
          case FAIRNESS ->
              finished == 0 ? 0 : sumSlowdown * sumSlowdown / (finished * sumSlowdownSq);
          case NONE -> 0;
        };
    lastWaitNs = waitingNs;
    finished = 0;
    sumResponseNs = sumSlowdown = sumSlowdownSq = overshoot = tail = 0;
    return r;
  }
}
