package dev.ghostgym.app.eval;

import java.util.List;

/**
 * The numbers an evaluation reports for every run, with the keys used in CSV and JSON and the short
 * headers of the printed table. Latencies are in microseconds of simulated time.
 */
public enum Metric {
  RESPONSE_MEAN("response_mean_us", "resp mean"),
  RESPONSE_P50("response_p50_us", "resp p50"),
  RESPONSE_P99("response_p99_us", "resp p99"),
  RESPONSE_P999("response_p999_us", "resp p99.9"),
  WAKEUP_MEAN("wakeup_mean_us", "wake mean"),
  WAKEUP_P50("wakeup_p50_us", "wake p50"),
  WAKEUP_P99("wakeup_p99_us", "wake p99"),
  WAKEUP_P999("wakeup_p999_us", "wake p99.9"),
  SLOWDOWN_MEAN("slowdown_mean", "slowdown"),
  SLOWDOWN_P99("slowdown_p99", "slowdown p99"),
  THROUGHPUT("throughput_per_s", "tput/s"),
  UTILIZATION("utilization", "util"),
  JAIN("jain_fairness", "jain"),
  AGENT_OVERHEAD("agent_overhead", "agent"),
  FALLBACKS("fallbacks", "fallbk"),
  DECISION_COST("decision_cost_ns", "decide ns");

  /** The columns of the printed table (all metrics go to CSV and JSON). */
  public static final List<Metric> TABLE =
      List.of(
          RESPONSE_MEAN,
          RESPONSE_P99,
          RESPONSE_P999,
          WAKEUP_P99,
          SLOWDOWN_MEAN,
          THROUGHPUT,
          UTILIZATION,
          JAIN,
          AGENT_OVERHEAD,
          FALLBACKS);

  public final String key;
  public final String header;

  Metric(String key, String header) {
    this.key = key;
    this.header = header;
  }
}
