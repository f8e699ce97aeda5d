package dev.ghostgym.config;

import java.util.List;

/** When a source's tasks appear. */
public sealed interface Arrival {
  /** Open loop: exponential inter-arrival times with this rate (tasks per second). */
  record Poisson(double ratePerSecond) implements Arrival {}

  /** Tasks appear exactly at these times (ns from the start), in order. */
  record Fixed(List<Long> timesNs) implements Arrival {
    public Fixed {
      timesNs = List.copyOf(timesNs);
    }
  }

  /**
   * Closed loop: {@code workers} tasks start at time 0 and each runs its program; a program that
   * loops forever keeps its worker busy for the whole run.
   */
  record Pool(int workers) implements Arrival {}

  /**
   * A server with a fixed pool of worker threads, as the paper's RocksDB and Shinjuku experiments
   * run: {@code workers} threads start at time 0 and block waiting for work; requests arrive
   * Poisson at {@code ratePerSecond} into a dispatcher queue; an idle worker is woken for each
   * request, serves it (runs the source's program once) and takes the next queued request, or
   * blocks again when there is none. Latency metrics are per request, not per thread.
   */
  record WorkerPool(int workers, double ratePerSecond) implements Arrival {
    public WorkerPool {
      if (workers < 1) throw new IllegalArgumentException("workers: expected >= 1, got " + workers);
      if (!(ratePerSecond > 0))
        throw new IllegalArgumentException("rate: expected > 0, got " + ratePerSecond);
    }
  }
}
