package dev.ghostgym.app.eval;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of an evaluation folded across seeds: one row per (workload, CPUs, load, policy) with
 * the mean and 95% confidence interval of every metric.
 */
public final class Summary {
  /** One group of seeds. */
  public record Row(
      String workload,
      int cpus,
      double load,
      String loadLabel,
      String policy,
      boolean oracle,
      List<Long> seeds,
      EnumMap<Metric, Stats> stats,
      List<RunOutcome> runs) {
    public Stats get(Metric m) {
      return stats.get(m);
    }

    /** The policy as tables show it: oracles (which read true service times) get a star. */
    public String policyLabel() {
      return oracle ? policy + "*" : policy;
    }
  }

  private Summary() {}

  public static List<Row> of(List<RunOutcome> runs) {
    Map<String, List<RunOutcome>> groups = new LinkedHashMap<>();
    for (RunOutcome o : runs)
      groups.computeIfAbsent(o.cell().group(), k -> new ArrayList<>()).add(o);
    List<Row> rows = new ArrayList<>();
    for (List<RunOutcome> g : groups.values()) {
      Cell c = g.get(0).cell();
      EnumMap<Metric, Stats> stats = new EnumMap<>(Metric.class);
      for (Metric m : Metric.values()) {
        double[] xs = new double[g.size()];
        for (int i = 0; i < xs.length; i++) xs[i] = g.get(i).get(m);
        stats.put(m, Stats.of(xs));
      }
      rows.add(
          new Row(
              c.workload(),
              c.cpus(),
              c.load(),
              c.loadLabel(),
              c.policy(),
              g.get(0).oracle(),
              g.stream().map(o -> o.cell().seed()).toList(),
              stats,
              List.copyOf(g)));
    }
    return rows;
  }
}
