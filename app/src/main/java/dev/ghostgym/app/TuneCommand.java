package dev.ghostgym.app;

import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ghost-gym tune}: grid search of the non-oracle heuristics' parameters (Shinjuku's slice,
 * LAS's quantum, CFS's granularity) on a workload, each setting run on several seeds with its
 * decision cost charged, ranked by p99 response (then mean). The best tuned heuristic is the
 * baseline a learned policy must beat; oracles (sjf, srpt) are not tuned and not baselines.
 */
@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Grid-search heuristic parameters (slice, quantum) on a workload; rank by p99 response.")
final class TuneCommand implements Callable<Integer> {
  /** The grid: policy -> its parameter and values (durations). */
  static final Map<String, List<String>> GRID = new LinkedHashMap<>();

  static final Map<String, String> PARAM =
      Map.of("shinjuku", "slice", "las", "quantum", "cfs", "slice");

  static {
    GRID.put("shinjuku", List.of("5us", "10us", "20us", "30us", "50us", "100us", "200us"));
    GRID.put("las", List.of("5us", "10us", "20us", "30us", "50us", "100us"));
    GRID.put("cfs", List.of("100us", "1ms", "3ms"));
  }

  @Option(
      names = "--workload",
      defaultValue = "rocksdb-shinjuku",
      description = "Workload. Default: ${DEFAULT-VALUE}.")
  String workload;

  @Option(
      names = "--cpus",
      defaultValue = "4",
      description = "Enclave CPUs. Default: ${DEFAULT-VALUE}.")
  int cpus;

  @Option(
      names = "--tasks",
      defaultValue = "20000",
      description = "Tasks per run. Default: ${DEFAULT-VALUE}.")
  long tasks;

  @Option(
      names = "--seeds",
      defaultValue = "3",
      description = "Seeds per setting (1..). Default: ${DEFAULT-VALUE}.")
  int seeds;

  @Option(
      names = "--overheads",
      defaultValue = "paper",
      description = "paper or none. Default: ${DEFAULT-VALUE}.")
  String overheads;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "A workload parameter (load=0.7).")
  List<String> sets = List.of();

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Write every setting's numbers and the best as JSON.")
  Path json;

  /** One tuned setting's result. */
  record Row(String policy, String param, String value, double meanUs, double p99Us) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("policy", policy);
      m.put("param", "policy." + param);
      m.put("value", value);
      m.put("mean_us", meanUs);
      m.put("p99_us", p99Us);
      return m;
    }
  }

  @Override
  public Integer call() {
    if (cpus < 1 || tasks < 1 || seeds < 1)
      throw new InputError("--cpus, --tasks, --seeds: expected positive counts");
    Path jsonFile = json == null ? null : Outputs.file("--json", json.toString());
    Runs.Spec spec =
        new Runs.Spec(
            workload, SimulateCommand.parseSets(sets), cpus, tasks, Overheads.parse(overheads));
    System.out.printf(
        Locale.ROOT,
        "ghost-gym tune: %s %s, %d CPUs, %d tasks x %d seeds, overheads %s; rank by p99%n",
        workload,
        spec.overrides(),
        cpus,
        tasks,
        seeds,
        overheads);
    List<Row> rows = tune(spec, seeds);
    Row best = rows.get(0);
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "  %-9s %s=%-6s mean %9.1f us  p99 %9.1f us%s%n",
          r.policy(),
          r.param(),
          r.value(),
          r.meanUs(),
          r.p99Us(),
          r == best ? "   <- best" : "");
    }
    System.out.printf(
        "best tuned non-oracle heuristic: %s --set policy.%s=%s%n",
        best.policy(), best.param(), best.value());
    if (jsonFile != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("workload", workload);
      m.put("workload_params", spec.overrides());
      m.put("cpus", cpus);
      m.put("tasks", tasks);
      m.put("seeds", seeds);
      m.put("rank_by", "p99 response, then mean");
      m.put("best", best.toMap());
      m.put("settings", rows.stream().map(Row::toMap).toList());
      Outputs.writeString("--json", jsonFile, Json.write(m));
    }
    return 0;
  }

  /**
   * Every grid setting on seeds 1..n, best first (lowest mean p99 over seeds, then mean response).
   */
  static List<Row> tune(Runs.Spec spec, int seeds) {
    List<Row> rows = new ArrayList<>();
    GRID.forEach(
        (policy, values) -> {
          for (String v : values) {
            double mean = 0;
            double p99 = 0;
            for (long s = 1; s <= seeds; s++) {
              SimResult r = Runs.run(spec, policy, Map.of(PARAM.get(policy), v), s);
              mean += r.metrics().meanResponseNs() / 1e3 / seeds;
              p99 += r.metrics().response().p99() / seeds;
            }
            rows.add(new Row(policy, PARAM.get(policy), v, mean, p99));
          }
        });
    rows.sort(
        (a, b) ->
            a.p99Us() != b.p99Us()
                ? Double.compare(a.p99Us(), b.p99Us())
                : Double.compare(a.meanUs(), b.meanUs()));
    return rows;
  }
}
