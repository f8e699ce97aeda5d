package dev.ghostgym.app;

import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ghost-gym evaluate}: the table policy x workload x load of mean, p99 and p99.9 response
 * with 95% confidence intervals over seeds, every policy (learned ones included) with its decision
 * cost charged, as Markdown (the table of docs/LEARNING.md) and JSON. A policy is written as on the
 * command line with its parameters after {@code @}: {@code las@quantum=10us}, {@code
 * model:runs/ppo@form=tree}.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Policies x workloads x loads over seeds: mean/p99/p99.9 response with 95%% CIs, decision costs charged.")
final class EvaluateCommand implements Callable<Integer> {
  @Option(
      names = "--policies",
      split = ",",
      required = true,
      description =
          "Policies, each NAME or NAME@K=V[;K=V] (las@quantum=10us, model:runs/ppo@form=tree).")
  List<String> policies;

  @Option(
      names = "--workloads",
      split = ",",
      defaultValue = "rocksdb-shinjuku",
      description = "Workloads. Default: ${DEFAULT-VALUE}.")
  List<String> workloads;

  @Option(
      names = "--loads",
      split = ",",
      defaultValue = "0.5,0.7",
      description = "Loads (the workload's load parameter). Default: ${DEFAULT-VALUE}.")
  List<String> loads;

  @Option(
      names = "--cpus",
      defaultValue = "4",
      description = "Enclave CPUs. Default: ${DEFAULT-VALUE}.")
  int cpus;

  @Option(
      names = "--seeds",
      defaultValue = "5",
      description = "Seeds 1..N per cell. Default: ${DEFAULT-VALUE}.")
  int seeds;

  @Option(
      names = "--tasks",
      defaultValue = "20000",
      description = "Tasks per run. Default: ${DEFAULT-VALUE}.")
  long tasks;

  @Option(
      names = "--overheads",
      defaultValue = "paper",
      description = "paper or none. Default: ${DEFAULT-VALUE}.")
  String overheads;

  @Option(names = "--markdown", paramLabel = "FILE", description = "Write the table as Markdown.")
  Path markdown;

  @Option(names = "--json", paramLabel = "FILE", description = "Write every cell as JSON.")
  Path json;

  /** One cell: a policy on a workload at a load, over seeds. */
  record Cell(
      String policy,
      String workload,
      String load,
      long decisionCostNs,
      boolean oracle,
      double[] meanUs,
      double[] p99Us,
      double[] p999Us) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("policy", policy);
      m.put("workload", workload);
      m.put("load", load);
      m.put("decision_cost_ns", decisionCostNs);
      m.put("oracle", oracle);
      m.put("mean_us", summary(meanUs));
      m.put("p99_us", summary(p99Us));
      m.put("p999_us", summary(p999Us));
      return m;
    }

    private static Map<String, Object> summary(double[] v) {
      Runs.Ci ci = Runs.Ci.of(v);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mean", ci.mean());
      m.put("ci95_half_width", Double.isNaN(ci.half()) ? null : ci.half());
      m.put("per_seed", Arrays.stream(v).boxed().toList());
      return m;
    }
  }

  @Override
  public Integer call() {
    if (seeds < 1 || tasks < 1 || cpus < 1)
      throw new InputError("--seeds, --tasks, --cpus: expected positive counts");
    Path markdownFile = markdown == null ? null : Outputs.file("--markdown", markdown.toString());
    Path jsonFile = json == null ? null : Outputs.file("--json", json.toString());
    Overheads o = Overheads.parse(overheads);
    List<Cell> cells = new ArrayList<>();
    long t0 = System.nanoTime();
    for (String w : workloads) {
      for (String load : loads) {
        Runs.Spec spec = new Runs.Spec(w, Map.of("load", load), cpus, tasks, o);
        for (String p : policies) {
          cells.add(cell(spec, p, load));
          Cell c = cells.get(cells.size() - 1);
          System.out.printf(
              Locale.ROOT,
              "  %-20s load %-4s %-32s mean %s  p99 %s  p99.9 %s  (cost %d ns)%n",
              w,
              load,
              p,
              Runs.Ci.of(c.meanUs()).format(),
              Runs.Ci.of(c.p99Us()).format(),
              Runs.Ci.of(c.p999Us()).format(),
              c.decisionCostNs());
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%d cells x %d seeds in %.0f s wall%n",
        cells.size(),
        seeds,
        (System.nanoTime() - t0) / 1e9);
    if (markdownFile != null) Outputs.writeString("--markdown", markdownFile, markdown(cells));
    if (jsonFile != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cpus", cpus);
      m.put("tasks", tasks);
      m.put("seeds", seeds);
      m.put("overheads", overheads);
      m.put("cells", cells.stream().map(Cell::toMap).toList());
      Outputs.writeString("--json", jsonFile, Json.write(m));
    }
    return 0;
  }

  private Cell cell(Runs.Spec spec, String policyArg, String load) {
    int at = policyArg.indexOf('@');
    String policy = at < 0 ? policyArg : policyArg.substring(0, at);
    Map<String, String> params = new LinkedHashMap<>();
    if (at >= 0) {
      for (String kv : policyArg.substring(at + 1).split(";")) {
        int eq = kv.indexOf('=');
        if (eq <= 0)
          throw new InputError("--policies: expected NAME@K=V[;K=V], got '" + policyArg + "'");
        params.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    double[] mean = new double[seeds];
    double[] p99 = new double[seeds];
    double[] p999 = new double[seeds];
    AgentChoice.Choice choice =
        AgentChoice.choose(policy, params, 1, spec.overheads() == Overheads.PAPER);
    long cost = choice.decisionCostNs();
    boolean oracle = choice.agents().guard().policy().oracle();
    for (int s = 0; s < seeds; s++) {
      SimResult r = Runs.run(spec, policy, params, s + 1);
      mean[s] = r.metrics().meanResponseNs() / 1e3;
      p99[s] = r.metrics().response().p99();
      p999[s] = r.metrics().response().p999();
    }
    return new Cell(policyArg, spec.workload(), load, cost, oracle, mean, p99, p999);
  }

  /**
   * One row per cell; in each workload and load, the best p99 of the non-oracle policies in bold.
   */
  String markdown(List<Cell> cells) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%d CPUs, %d tasks per run, seeds 1-%d, overheads %s; mean / p99 / p99.9 "
                + "response in us, each ± the 95%% CI half-width over seeds; decision cost charged per decision; in bold the "
                + "best p99 of the non-oracle policies.%n%n",
            cpus,
            tasks,
            seeds,
            overheads));
    sb.append(
        "| workload | load | policy | decision cost | mean | p99 | p99.9 |\n|---|---|---|---|---|---|---|\n");
    for (Cell c : cells) {
      double bestP99 =
          cells.stream()
              .filter(
                  x ->
                      !x.oracle() && x.workload().equals(c.workload()) && x.load().equals(c.load()))
              .mapToDouble(x -> Runs.Ci.of(x.p99Us()).mean())
              .min()
              .orElse(Double.NaN);
      boolean best = !c.oracle() && Runs.Ci.of(c.p99Us()).mean() == bestP99;
      String p99 = Runs.Ci.of(c.p99Us()).format();
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | `%s`%s | %d ns | %s | %s | %s |%n",
              c.workload(),
              c.load(),
              c.policy(),
              c.oracle() ? " (ORACLE)" : "",
              c.decisionCostNs(),
              Runs.Ci.of(c.meanUs()).format(),
              best ? "**" + p99 + "**" : p99,
              Runs.Ci.of(c.p999Us()).format()));
    }
    return sb.toString();
  }
}
