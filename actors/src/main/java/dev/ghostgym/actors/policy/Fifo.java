package dev.ghostgym.actors.policy;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * ghOSt's FIFO: round-robin placement, prio-boosted tasks (preempted, non-deferrable wakeups) at
 * the front and the rest at the back, the head runs next, no time slice. Per-CPU ({@code fifo},
 * ghOSt's {@code per_cpu} FIFO) or centralized ({@code centralized-fifo}).
 */
public final class Fifo implements Policy {
  private final Model model;
  // Shared by per-CPU agents that place tasks at the same time (live mode): an atomic counter.
  private final AtomicInteger next = new AtomicInteger();

  public Fifo(Model model) {
    this.model = model;
  }

  @Override
  public String name() {
    return model == Model.PER_CPU ? "fifo" : "centralized-fifo";
  }

  @Override
  public Model model() {
    return model;
  }

  @Override
  public int decide(DecisionRequest r) {
    return switch (r.kind()) {
      case PLACE -> r.cpus().get(Math.floorMod(next.getAndIncrement(), r.cpus().size())).cpu();
      case INSERT -> r.task().boosted() ? 0 : r.runQueue().size();
      case PICK -> r.runQueue().isEmpty() ? -1 : 0;
      case SLICE -> 0;
      case PREEMPT -> -1;
    };
  }
}
