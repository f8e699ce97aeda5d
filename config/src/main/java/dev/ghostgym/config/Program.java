package dev.ghostgym.config;

import java.util.List;

/** A task's behaviour: a list of steps run in order; the task exits after the last. */
public record Program(List<Step> steps) {
  public Program {
    steps = List.copyOf(steps);
  }

  /** Expected CPU demand of one run of the program in ns (infinite if it loops forever). */
  public double meanServiceNs() {
    double total = 0;
    for (Step s : steps) total += s.meanServiceNs();
    return total;
  }
}
