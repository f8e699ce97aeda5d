package dev.ghostgym.app.eval;

import java.util.Locale;

/**
 * One point of an evaluation matrix: a policy on a workload at a load on some CPUs, run with one
 * seed. Seeds are the replicas a confidence interval is taken across, so {@link #group()} leaves
 * the seed out.
 *
 * @param load the workload's {@code load} parameter, or NaN for the workload's own default
 */
public record Cell(String workload, int cpus, String policy, double load, long seed) {
  /** The cell without its seed: the key runs are averaged under. */
  public String group() {
    return workload + "/" + cpus + "/" + loadLabel() + "/" + policy;
  }

  /** The load as written in tables ({@code default} when the workload's own is used). */
  public String loadLabel() {
    return Double.isNaN(load) ? "default" : String.format(Locale.ROOT, "%.2f", load);
  }
}
