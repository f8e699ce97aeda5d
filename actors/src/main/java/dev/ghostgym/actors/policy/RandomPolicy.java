package dev.ghostgym.actors.policy;

import java.util.SplittableRandom;

/** A baseline: a random queued task runs next (seeded, so runs stay reproducible). */
public final class RandomPolicy implements Policy {
  private final SplittableRandom rng;

  public RandomPolicy(long seed) {
    this.rng = new SplittableRandom(seed);
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public Model model() {
    return Model.CENTRALIZED;
  }

  @Override
  public int decide(DecisionRequest r) {
    return switch (r.kind()) {
      case PLACE -> r.cpus().get(rng.nextInt(r.cpus().size())).cpu();
      case INSERT -> rng.nextInt(r.runQueue().size() + 1);
      case PICK -> r.runQueue().isEmpty() ? -1 : rng.nextInt(r.runQueue().size());
      case SLICE -> 0;
      case PREEMPT -> -1;
    };
  }
}
