package dev.ghostgym.config;

import java.util.List;

/** When a source's tasks appear. */
public sealed interface Arrival {
  /** Open loop: exponential inter-arrival times with this rate (tasks per second). */
  record Poisson(double ratePerSecond) implements Arrival {}

  /** Tasks appear exactly at these times (ns from the start), in order. */
  record Fixed(List<Long> timesNs) implements Arrival {
    public Fixed { timesNs = List.copyOf(timesNs); }
  }

  /**
   * Closed loop: {@code workers} tasks start at time 0 and each runs its program; a program
   * that loops forever keeps its worker busy for the whole run.
   */
  record Pool(int workers) implements Arrival {}
}
