package dev.ghostgym.actors.policy;

import java.util.List;

/**
 * Least attained service (LAS, also foreground-background, FB) with a quantum: the queued task that
 * has received the least CPU time runs next (ties to the task queued first); when the running
 * task's quantum expires it is preempted if a queued task has attained less. Short requests
 * therefore finish within a few quanta even behind long ones, without knowing job sizes (attained
 * service is what a ghOSt agent sees: the task's runtime). Centralized; the quantum is the agents'
 * time slice (ghOSt timerfd, {@code CPU_TIMER_EXPIRED}).
 */
public final class Las implements Policy {
  private final long quantumNs;

  public Las(long quantumNs) {
    if (quantumNs <= 0)
      throw new IllegalArgumentException("policy.quantum: expected > 0, got " + quantumNs + " ns");
    this.quantumNs = quantumNs;
  }

  @Override
  public String name() {
    return "las";
  }

  @Override
  public Model model() {
    return Model.CENTRALIZED;
  }

  @Override
  public long sliceNs() {
    return quantumNs;
  }

  @Override
  public int decide(DecisionRequest r) {
    return switch (r.kind()) {
      case PLACE -> r.cpus().get(0).cpu();
      case INSERT -> r.runQueue().size();
      case PICK -> least(r.runQueue());
      case SLICE -> {
        int i = least(r.runQueue());
        yield i >= 0 && r.runQueue().get(i).attainedNs() < r.task().attainedNs() ? 1 : 0;
      }
      case PREEMPT -> -1;
    };
  }

  /** Index of the queued task with the least attained service, the first on ties; -1 if none. */
  static int least(List<? extends TaskView> rq) {
    int best = -1;
    long min = Long.MAX_VALUE;
    for (int i = 0; i < rq.size(); i++) {
      long a = rq.get(i).attainedNs();
      if (a < min) {
        min = a;
        best = i;
      }
    }
    return best;
  }
}
