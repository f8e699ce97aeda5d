package dev.ghostgym.port;

import org.HdrHistogram.Histogram;

/** Mean and tail of a latency distribution, in microseconds. */
public record Percentiles(
    long count, double mean, double p50, double p99, double p999, double max) {
  /** From a histogram of nanoseconds. */
  public static Percentiles ofNanos(Histogram h) {
    if (h.getTotalCount() == 0) return new Percentiles(0, 0, 0, 0, 0, 0);
    return new Percentiles(
        h.getTotalCount(),
        h.getMean() / 1e3,
        h.getValueAtPercentile(50) / 1e3,
        h.getValueAtPercentile(99) / 1e3,
        h.getValueAtPercentile(99.9) / 1e3,
        h.getMaxValue() / 1e3);
  }

  /** The same with an exact mean (nanoseconds) in place of the histogram's rounded one. */
  public Percentiles withMeanNs(double meanNs) {
    return count == 0 ? this : new Percentiles(count, meanNs / 1e3, p50, p99, p999, max);
  }

  /** For ratios recorded as thousandths (slowdown). */
  public static Percentiles ofMillis(Histogram h) {
    if (h.getTotalCount() == 0) return new Percentiles(0, 0, 0, 0, 0, 0);
    return new Percentiles(
        h.getTotalCount(),
        h.getMean() / 1e3,
        h.getValueAtPercentile(50) / 1e3,
        h.getValueAtPercentile(99) / 1e3,
        h.getValueAtPercentile(99.9) / 1e3,
        h.getMaxValue() / 1e3);
  }
}
