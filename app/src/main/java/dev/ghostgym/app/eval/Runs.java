package dev.ghostgym.app.eval;

import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.app.AgentChoice;
import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.port.Percentiles;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import dev.ghostgym.sim.metrics.RunMetrics;
import dev.ghostgym.sim.metrics.TaskRecord;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one cell on the simulated machine with the agents as plain calls (the same trace as actors,
 * see SimulateCommand's --deployment) so that many runs share the cores without a Pekko system
 * each.
 */
public final class Runs {
  /** Quantiles kept per run for the CDF plots. */
  static final int SAMPLE = 2000;

  private Runs() {}

  /**
   * The workload a cell names, with its load applied (the workload must have a {@code load}
   * parameter).
   */
  public static Workload workload(Cell c) {
    Map<String, String> over = new LinkedHashMap<>();
    if (!Double.isNaN(c.load())) over.put("load", String.format(Locale.ROOT, "%.4f", c.load()));
    return Workloads.load(c.workload(), over, c.cpus());
  }

  /**
   * A machine for the cell, not yet run, with its policy's guard and the cost charged per decision.
   */
  record Prepared(Machine machine, PolicyGuard guard, long decisionCostNs) {}

  /**
   * {@code tasks} arrivals, paper overheads, every decision charged as {@code simulate} charges it.
   */
  static Prepared prepare(Cell c, long tasks) {
    AgentChoice.Choice choice = AgentChoice.choose(c.policy(), Map.of(), c.seed(), true);
    SimConfig cfg = SimConfig.of(c.cpus(), c.seed(), Overheads.parse("paper"), tasks);
    return new Prepared(
        new Machine(cfg, workload(c), choice.agents()),
        choice.agents().guard(),
        choice.decisionCostNs());
  }

  public static RunOutcome run(Cell c, long tasks) {
    return run(c, tasks, m -> {});
  }

  /** Runs the cell; {@code prepare} may attach observers to the machine before it starts. */
  public static RunOutcome run(Cell c, long tasks, Consumer<Machine> prepare) {
    Prepared p = prepare(c, tasks);
    Machine m = p.machine();
    Fairness jain = new Fairness();
    long[] resp = new long[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, tasks))];
    int[] n = {0};
    m.taskLog(
        rec -> {
          if (rec.departed()) return;
          jain.add(rec);
          if (n[0] == resp.length) return;
          resp[n[0]++] = rec.end() - rec.arrival();
        });
    prepare.accept(m);
    SimResult r = m.run();
    RunMetrics x = r.metrics();
    EnumMap<Metric, Double> out = new EnumMap<>(Metric.class);
    Percentiles rp = x.response(), wp = x.wakeupLatency(), sp = x.slowdown();
    out.put(Metric.RESPONSE_MEAN, x.meanResponseNs() / 1e3);
    out.put(Metric.RESPONSE_P50, rp.p50());
    out.put(Metric.RESPONSE_P99, rp.p99());
    out.put(Metric.RESPONSE_P999, rp.p999());
    out.put(Metric.WAKEUP_MEAN, wp.mean());
    out.put(Metric.WAKEUP_P50, wp.p50());
    out.put(Metric.WAKEUP_P99, wp.p99());
    out.put(Metric.WAKEUP_P999, wp.p999());
    out.put(Metric.SLOWDOWN_MEAN, sp.mean());
    out.put(Metric.SLOWDOWN_P99, sp.p99());
    out.put(Metric.THROUGHPUT, r.throughputPerS());
    out.put(Metric.UTILIZATION, r.utilization());
    out.put(Metric.JAIN, jain.index());
    out.put(Metric.AGENT_OVERHEAD, r.agentShare());
    out.put(Metric.FALLBACKS, (double) p.guard().fallbackTotal());
    out.put(Metric.DECISION_COST, (double) p.decisionCostNs());
    return new RunOutcome(
        c, p.guard().policy().oracle(), out, quantiles(Arrays.copyOf(resp, n[0])));
  }

  /** Up to {@link #SAMPLE} evenly spaced order statistics of the response times, in us. */
  static double[] quantiles(long[] ns) {
    Arrays.sort(ns);
    int k = Math.min(SAMPLE, ns.length);
    double[] q = new double[k];
    for (int i = 0; i < k; i++) {
      int idx = k == 1 ? 0 : (int) Math.round((double) i * (ns.length - 1) / (k - 1));
      q[i] = ns[idx] / 1e3;
    }
    return q;
  }

  /**
   * Jain's fairness index over the completed tasks' service shares (runtime / response): 1 when
   * every task got the same share of its time in the system, 1/n when one task got it all.
   */
  static final class Fairness {
    private double sum, sumSq;
    private long n;

    void add(TaskRecord r) {
      long resp = r.end() - r.arrival();
      if (resp <= 0) return;
      double x = (double) r.runtimeNs() / resp;
      sum += x;
      sumSq += x * x;
      n++;
    }

    double index() {
      return n == 0 || sumSq == 0 ? Double.NaN : sum * sum / (n * sumSq);
    }
  }
}
