package dev.ghostgym.app.eval;

import java.util.EnumMap;

/**
 * What one run of a cell measured: every {@link Metric} (NaN where not defined) and a sample of the
 * response times, sorted, for CDF plots (at most a few thousand quantiles, so a large matrix stays
 * small in memory while the curve keeps its shape).
 */
public record RunOutcome(
    Cell cell, boolean oracle, EnumMap<Metric, Double> metrics, double[] responseSampleUs) {
  public double get(Metric m) {
    Double v = metrics.get(m);
    return v == null ? Double.NaN : v;
  }
}
