package dev.ghostgym.actors.policy;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Centralized policies that run the queued task with the smallest key: {@code sjf} (job size,
 * oracle), {@code srpt} (remaining service, oracle, preempts on arrival), {@code edf} (deadline,
 * preempts on arrival). Ties go to the task queued first.
 */
public final class Ranked implements Policy {
  private final String name;
  private final boolean oracle;
  private final boolean preemptive;
  private final ToLongFunction<TaskView> key;

  private Ranked(String name, boolean oracle, boolean preemptive, ToLongFunction<TaskView> key) {
    this.name = name;
    this.oracle = oracle;
    this.preemptive = preemptive;
    this.key = key;
  }

  public static Ranked sjf() {
    return new Ranked("sjf", true, false, TaskView::burstNs);
  }

  public static Ranked srpt() {
    return new Ranked("srpt", true, true, TaskView::remainingNs);
  }

  public static Ranked edf() {
    return new Ranked("edf", false, true, TaskView::deadlineNs);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Model model() {
    return Model.CENTRALIZED;
  }

  @Override
  public boolean oracle() {
    return oracle;
  }

  @Override
  public boolean preemptsOnArrival() {
    return preemptive;
  }

  @Override
  public int decide(DecisionRequest r) {
    return switch (r.kind()) {
      case PLACE -> r.cpus().get(0).cpu();
      case INSERT -> r.runQueue().size();
      case PICK -> argMin(r.runQueue());
      case SLICE -> 0;
      case PREEMPT -> victim(r);
    };
  }

  private int argMin(List<? extends TaskView> rq) {
    int best = -1;
    long bestKey = Long.MAX_VALUE;
    for (int i = 0; i < rq.size(); i++) {
      long k = key.applyAsLong(rq.get(i));
      if (best < 0 || k < bestKey) {
        best = i;
        bestKey = k;
      }
    }
    return best;
  }

  /** The CPU running the task with the largest key, if the arriving task's key is smaller. */
  private int victim(DecisionRequest r) {
    long mine = key.applyAsLong(r.task());
    int cpu = -1;
    long worst = mine;
    for (CpuView c : r.cpus()) {
      if (c.current() == null) continue;
      long k = key.applyAsLong(c.current());
      if (k > worst) {
        worst = k;
        cpu = c.cpu();
      }
    }
    return cpu;
  }
}
