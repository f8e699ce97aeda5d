package dev.ghostgym.app;

import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.Locale;
import java.util.Map;

/**
 * Many simulations in one process for {@code tune} and {@code evaluate}: each is the run {@code
 * simulate --deployment plain} makes with the same options (so its decision cost is charged the
 * same way), and repeated runs over seeds are summarised with 95% confidence intervals.
 */
final class Runs {
  private Runs() {}

  /** What one run is asked to be. */
  record Spec(
      String workload, Map<String, String> overrides, int cpus, long tasks, Overheads overheads) {}

  static SimResult run(Spec s, String policy, Map<String, String> params, long seed) {
    AgentChoice.Choice c =
        AgentChoice.choose(policy, params, seed, s.overheads() == Overheads.PAPER);
    Workload w = Workloads.load(s.workload(), s.overrides(), s.cpus());
    SimConfig cfg =
        new SimConfig(
            s.cpus(),
            seed,
            s.overheads(),
            1_000_000,
            false,
            SimConfig.cfsMinGranularityNs(s.cpus()),
            s.tasks(),
            0,
            false);
    return new Machine(cfg, w, c.agents()).run();
  }

  /** Mean and half-width of the 95% confidence interval (Student t) of the values. */
  record Ci(double mean, double half) {
    static Ci of(double[] v) {
      double m = 0;
      for (double x : v) m += x;
      m /= v.length;
      if (v.length < 2) return new Ci(m, Double.NaN);
      double ss = 0;
      for (double x : v) ss += (x - m) * (x - m);
      double sd = Math.sqrt(ss / (v.length - 1));
      return new Ci(m, t975(v.length - 1) * sd / Math.sqrt(v.length));
    }

    String format() {
      return Double.isNaN(half)
          ? String.format(Locale.ROOT, "%.1f", mean)
          : String.format(Locale.ROOT, "%.1f ± %.1f", mean, half);
    }
  }

  /** Student's t quantile 0.975 for small degrees of freedom (tables), 1.96 beyond 30. */
  static double t975(int df) {
    double[] t = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};
    if (df <= 10) return t[df - 1];
    return df <= 30 ? 2.042 + (2.228 - 2.042) * (30 - df) / 20.0 : 1.96;
  }
}
