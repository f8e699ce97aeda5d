package dev.ghostgym.app.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The summary as a terminal table, CSV, Markdown and a JSON tree. */
public final class Tables {
  private Tables() {}

  static String num(double x) {
    if (Double.isNaN(x)) return "-";
    double a = Math.abs(x);
    if (a >= 1e5) return String.format(Locale.ROOT, "%.0f", x);
    if (a >= 100) return String.format(Locale.ROOT, "%.0f", x);
    if (a >= 10) return String.format(Locale.ROOT, "%.1f", x);
    if (a >= 1) return String.format(Locale.ROOT, "%.2f", x);
    return String.format(Locale.ROOT, "%.3f", x);
  }

  /** "mean ±ci" (the interval is left out for a single seed). */
  static String cell(Stats s) {
    if (s.n() == 0) return "-";
    return s.n() < 2 ? num(s.mean()) : num(s.mean()) + " ±" + num(s.halfWidth());
  }

  private static List<String> header(boolean decisionCost) {
    List<String> h = new ArrayList<>(List.of("workload", "cpus", "load", "policy"));
    for (Metric m : Metric.TABLE) h.add(m.header);
    if (decisionCost) h.add(Metric.DECISION_COST.header);
    return h;
  }

  private static List<List<String>> body(List<Summary.Row> rows, boolean decisionCost) {
    List<List<String>> b = new ArrayList<>();
    for (Summary.Row r : rows) {
      List<String> line =
          new ArrayList<>(
              List.of(r.workload(), String.valueOf(r.cpus()), r.loadLabel(), r.policyLabel()));
      for (Metric m : Metric.TABLE) line.add(cell(r.get(m)));
      if (decisionCost) line.add(num(r.get(Metric.DECISION_COST).mean()));
      b.add(line);
    }
    return b;
  }

  /** Whether any policy pays for its decisions (then the table shows the cost). */
  static boolean anyDecisionCost(List<Summary.Row> rows) {
    for (Summary.Row r : rows) if (r.get(Metric.DECISION_COST).mean() > 0) return true;
    return false;
  }

  private static boolean anyOracle(List<Summary.Row> rows) {
    for (Summary.Row r : rows) if (r.oracle()) return true;
    return false;
  }

  /** Aligned columns for the terminal, with the legend below. */
  public static String text(List<Summary.Row> rows) {
    boolean dc = anyDecisionCost(rows);
    List<String> h = header(dc);
    List<List<String>> b = body(rows, dc);
    int[] w = new int[h.size()];
    for (int i = 0; i < w.length; i++) w[i] = h.get(i).length();
    for (List<String> line : b)
      for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], line.get(i).length());
    StringBuilder sb = new StringBuilder();
    appendAligned(sb, h, w);
    for (List<String> line : b) appendAligned(sb, line, w);
    sb.append(legend(rows));
    return sb.toString();
  }

  private static void appendAligned(StringBuilder sb, List<String> cells, int[] w) {
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      sb.append(i < 4 ? c + " ".repeat(w[i] - c.length()) : " ".repeat(w[i] - c.length()) + c);
      sb.append(i + 1 < cells.size() ? "  " : "\n");
    }
  }

  static String legend(List<Summary.Row> rows) {
    int seeds = rows.isEmpty() ? 0 : rows.get(0).seeds().size();
    String s =
        "latencies in us of simulated time; mean ±95% CI (Student t) across "
            + seeds
            + " seed(s); "
            + "util and agent are shares of the enclave's CPU time; jain = Jain's index of service shares; "
            + "fallbk = decisions answered by the FIFO fallback\n";
    if (anyOracle(rows))
      s += "* oracle: reads true service times, a bound no real scheduler can reach\n";
    if (anyDecisionCost(rows)) s += "decide ns = simulated agent time each decision costs\n";
    return s;
  }

  /** GitHub Markdown, for docs/RESULTS.md. */
  public static String markdown(List<Summary.Row> rows) {
    boolean dc = anyDecisionCost(rows);
    List<String> h = header(dc);
    StringBuilder sb = new StringBuilder("| " + String.join(" | ", h) + " |\n|");
    for (int i = 0; i < h.size(); i++) sb.append(i < 4 ? "---|" : "---:|");
    sb.append('\n');
    for (List<String> line : body(rows, dc))
      sb.append("| ").append(String.join(" | ", line)).append(" |\n");
    return sb.append('\n')
        .append(legend(rows).replace("\n", "\n\n").replace("* oracle", "\\* oracle"))
        .toString();
  }

  /** One row per group: every metric's mean, 95% half-width and seed count. */
  public static String csv(List<Summary.Row> rows) {
    StringBuilder sb = new StringBuilder("workload,cpus,load,policy,oracle,seeds");
    for (Metric m : Metric.values())
      sb.append(',').append(m.key).append(',').append(m.key).append("_ci95");
    sb.append('\n');
    for (Summary.Row r : rows) {
      sb.append(r.workload())
          .append(',')
          .append(r.cpus())
          .append(',')
          .append(r.loadLabel())
          .append(',')
          .append(r.policy())
          .append(',')
          .append(r.oracle())
          .append(',')
          .append(r.seeds().size());
      for (Metric m : Metric.values()) {
        Stats s = r.get(m);
        sb.append(',').append(csvNum(s.mean())).append(',').append(csvNum(s.halfWidth()));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** One row per run (every seed), for analyses of one's own. */
  public static String runsCsv(List<RunOutcome> runs) {
    StringBuilder sb = new StringBuilder("workload,cpus,load,policy,oracle,seed");
    for (Metric m : Metric.values()) sb.append(',').append(m.key);
    sb.append('\n');
    for (RunOutcome o : runs) {
      Cell c = o.cell();
      sb.append(c.workload())
          .append(',')
          .append(c.cpus())
          .append(',')
          .append(c.loadLabel())
          .append(',')
          .append(c.policy())
          .append(',')
          .append(o.oracle())
          .append(',')
          .append(c.seed());
      for (Metric m : Metric.values()) sb.append(',').append(csvNum(o.get(m)));
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String csvNum(double x) {
    return Double.isNaN(x) ? "" : String.format(Locale.ROOT, "%.6g", x);
  }

  /**
   * The summary as JSON: a list of rows, each metric as {mean, ci95, n} and the per-seed values.
   */
  public static List<Object> json(List<Summary.Row> rows) {
    List<Object> out = new ArrayList<>();
    for (Summary.Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("workload", r.workload());
      m.put("cpus", r.cpus());
      m.put("load", Double.isNaN(r.load()) ? null : r.load());
      m.put("policy", r.policy());
      m.put("oracle", r.oracle());
      m.put("seeds", r.seeds());
      Map<String, Object> metrics = new LinkedHashMap<>();
      for (Metric k : Metric.values()) {
        Stats s = r.get(k);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("mean", s.mean());
        v.put("ci95", s.halfWidth());
        v.put("n", s.n());
        v.put("per_seed", r.runs().stream().map(o -> o.get(k)).toList());
        metrics.put(k.key, v);
      }
      m.put("metrics", metrics);
      out.add(m);
    }
    return out;
  }
}
