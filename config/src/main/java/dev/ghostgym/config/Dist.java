package dev.ghostgym.config;

import java.util.SplittableRandom;

/**
 * A distribution of durations in nanoseconds, written in the workload grammar ({@code const(10us)},
 * {@code exp(1ms)}, {@code mix(0.995:const(4us),0.005:const(10ms))}, ...). The simulator draws from
 * it with its own seeded generator; the moments let callers derive arrival rates from a target load
 * and compare runs with queueing theory.
 */
public interface Dist {
  /** One draw in nanoseconds, never negative. */
  long sample(SplittableRandom rng);

  /** E[X] in nanoseconds. */
  double mean();

  /** E[X^2] in nanoseconds squared. */
  double secondMoment();

  /** The grammar text that parses back to an equal distribution. */
  String spec();
}
