package dev.ghostgym.app;

import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.app.eval.Cell;
import dev.ghostgym.app.eval.ClusterMatrix;
import dev.ghostgym.app.eval.Matrix;
import dev.ghostgym.app.eval.RunOutcome;
import dev.ghostgym.app.eval.Runs;
import dev.ghostgym.app.eval.Summary;
import dev.ghostgym.app.eval.Tables;
import dev.ghostgym.app.io.Interrupt;
import dev.ghostgym.app.io.Progress;
import dev.ghostgym.cluster.ClusterSettings;
import dev.ghostgym.cluster.EnvNode;
import dev.ghostgym.config.AtomicFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ghost-gym eval}: a matrix of policies x workloads x CPUs x loads x seeds, in parallel,
 * with a report.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Evaluate policies across workloads, CPU counts, loads and seeds; write tables, plots and report.html.")
final class EvalCommand implements Callable<Integer> {
  static final String DEFAULT_POLICIES = "fifo,centralized-fifo,rr,shinjuku,cfs,sjf,srpt";

  @Option(
      names = "--policies",
      paramLabel = "P,P,...",
      defaultValue = DEFAULT_POLICIES,
      split = ",",
      description =
          "Policies (see `ghost-gym policies`; model:DIR for a learned one). Default: ${DEFAULT-VALUE}.")
  List<String> policies;

  @Option(
      names = "--workloads",
      paramLabel = "W,W,...",
      defaultValue = "rocksdb-shinjuku",
      split = ",",
      description = "Workloads (see `ghost-gym workloads`). Default: ${DEFAULT-VALUE}.")
  List<String> workloads;

  @Option(
      names = "--cpus",
      paramLabel = "N,N,...",
      defaultValue = "4",
      split = ",",
      description = "Enclave CPU counts. Default: ${DEFAULT-VALUE}.")
  List<Integer> cpus;

  @Option(
      names = "--loads",
      paramLabel = "L,L,...|default",
      defaultValue = "0.3,0.5,0.7,0.9",
      description =
          "Offered loads (the workload's load parameter), or 'default' for each workload's own. Default: ${DEFAULT-VALUE}.")
  String loads;

  @Option(
      names = "--seeds",
      paramLabel = "A..B|S,S,...",
      defaultValue = "1..5",
      description =
          "Seeds, the replicas confidence intervals are taken across. Default: ${DEFAULT-VALUE}.")
  String seeds;

  @Option(
      names = "--tasks",
      paramLabel = "N",
      defaultValue = "5000",
      description = "Task arrivals per run. Default: ${DEFAULT-VALUE}.")
  long tasks;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description = "Runs in parallel. Default: the available cores.")
  Integer jobs;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "out/eval",
      description =
          "Directory for report.html, results.json, summary.csv, runs.csv, results.md and the figures. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--force", description = "Overwrite the files of an earlier run in --out.")
  boolean force;

  @Option(
      names = "--results-md",
      paramLabel = "FILE",
      description =
          "Also write the table as a Markdown 'Results' page (e.g. docs/RESULTS.md) with the command that regenerates it.")
  Path resultsMd;

  @Option(
      names = "--cluster",
      description =
          "Spread the runs over the `ghost-gym worker` nodes of a Pekko cluster (needs --seed-nodes); "
              + "same numbers as a local eval. See docs/SCALE.md.")
  boolean cluster;

  @Option(
      names = "--seed-nodes",
      paramLabel = "HOST:PORT,...",
      description = "With --cluster: worker nodes to join.")
  String seedNodes;

  @Option(
      names = "--cluster-port",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "With --cluster: this node's cluster port (0: a free one). Default: ${DEFAULT-VALUE}.")
  int clusterPort;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "With --cluster: start once N workers are ready. Default: 1.")
  Integer workers;

  @Option(
      names = "--worker-wait",
      paramLabel = "SECONDS",
      description =
          "With --cluster: give up (keeping finished runs) after this long without enough workers. "
              + "Default: 60.")
  Long workerWait;

  @Override
  public Integer call() {
    List<Double> loadList = parseLoads(loads);
    List<Long> seedList = parseSeeds(seeds, "--seeds");
    validate(loadList);
    ClusterSettings clusterSettings = clusterSettings();
    EvalReport.checkOut(out, force);
    if (resultsMd != null) Outputs.file("--results-md", resultsMd.toString());
    List<Cell> cells = Matrix.cells(workloads, cpus, policies, loadList, seedList);
    int n = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
    System.out.printf(
        "ghost-gym eval: %d runs (%d policies x %d workloads x %d cpu counts x %d loads x %d seeds), "
            + "%d tasks each, %s%n",
        cells.size(),
        policies.size(),
        workloads.size(),
        cpus.size(),
        loadList.size(),
        seedList.size(),
        tasks,
        cluster ? "on the cluster's workers" : n + " in parallel");
    Map<String, Object> extra = new LinkedHashMap<>();
    List<RunOutcome> runs;
    boolean interrupted;
    String stoppedBecause = null;
    try (Interrupt stop = Interrupt.install(System.err)) {
      Progress bar = new Progress(System.err, "runs", cells.size());
      if (clusterSettings != null) {
        ClusterMatrix.Result r = onCluster(clusterSettings, cells, bar, stop);
        runs = r.outcomes();
        stoppedBecause = r.interrupted() ? null : r.stoppedBecause();
        extra.put("cluster", clusterSummary(r));
      } else {
        runs = Matrix.run(cells, tasks, n, bar, stop);
      }
      interrupted = stop.requested();
    }
    if (runs.isEmpty()) {
      System.out.println(
          (stoppedBecause != null ? stoppedBecause : "interrupted")
              + " before any run finished; nothing written");
      return stoppedBecause != null ? 1 : 130;
    }
    List<Summary.Row> rows = Summary.of(runs);
    Map<String, Object> config = config(loadList, seedList, n);
    extra.put("interrupted", interrupted);
    extra.put("runs_planned", cells.size());
    if (stoppedBecause != null) extra.put("stopped_because", stoppedBecause);
    interrupted |= stoppedBecause != null;
    Path html =
        EvalReport.write(
            out,
            "ghost-gym eval",
            config,
            runs,
            rows,
            EvalReport.figures(rows),
            extra,
            interrupted
                ? "Interrupted: " + runs.size() + " of " + cells.size() + " runs finished."
                : null);
    if (resultsMd != null) AtomicFile.writeStringUnchecked(resultsMd, resultsPage(rows));
    System.out.print(Tables.text(rows));
    if (interrupted)
      System.out.printf(
          "%s: %d of %d runs finished and written%n",
          stoppedBecause != null ? stoppedBecause : "interrupted", runs.size(), cells.size());
    System.out.println(
        "report: "
            + html
            + "  (also results.json, summary.csv, runs.csv, results.md, figures as PNG and SVG)");
    if (resultsMd != null) System.out.println("results page: " + resultsMd);
    return stoppedBecause != null ? 1 : interrupted ? 130 : 0;
  }

  /** The cluster options' checks; null without --cluster. */
  private ClusterSettings clusterSettings() {
    if (!cluster) {
      if (seedNodes != null) throw new InputError("--seed-nodes: only with --cluster");
      if (workers != null) throw new InputError("--workers: only with --cluster");
      if (workerWait != null) throw new InputError("--worker-wait: only with --cluster");
      return null;
    }
    if (workers == null) workers = 1;
    if (workerWait == null) workerWait = 60L;
    if (seedNodes == null || seedNodes.isBlank())
      throw new InputError("--seed-nodes: required with --cluster (HOST:PORT,...)");
    if (jobs != null)
      throw new InputError("--jobs: not with --cluster (each worker runs `worker --jobs N`)");
    if (workers < 1) throw new InputError("--workers: expected >= 1, got " + workers);
    if (workerWait < 1) throw new InputError("--worker-wait: expected >= 1, got " + workerWait);
    WorkerCommand.checkWorkerWaitAtMost(workerWait);
    return WorkerCommand.learnerSettings(seedNodes, clusterPort);
  }

  private ClusterMatrix.Result onCluster(
      ClusterSettings s, List<Cell> cells, Progress bar, Interrupt stop) {
    try (EnvNode node = EnvNode.start(s)) {
      System.out.println(
          "ghost-gym eval: node "
              + node.address()
              + " joins "
              + s.seedNodes()
              + ", waiting for "
              + workers
              + " worker(s)");
      ClusterMatrix.Result r =
          ClusterMatrix.run(
              node.system(),
              cells,
              tasks,
              new ClusterMatrix.Waits(workers, Duration.ofSeconds(workerWait)),
              bar,
              stop::requested,
              System.err);
      System.out.println(
          "ghost-gym eval: runs per worker "
              + r.runsPerNode()
              + ", runs started again after a worker was lost: "
              + r.reruns());
      return r;
    }
  }

  private static Map<String, Object> clusterSummary(ClusterMatrix.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runs_per_node", r.runsPerNode());
    m.put("reruns", r.reruns());
    m.put("workers_lost", r.workersLost());
    return m;
  }

  private void validate(List<Double> loadList) {
    if (tasks < 1) throw new InputError("--tasks: expected a positive count, got " + tasks);
    if (jobs != null && jobs < 1) throw new InputError("--jobs: expected >= 1, got " + jobs);
    for (int c : cpus)
      if (c < 1 || c > 1024) throw new InputError("--cpus: expected 1..1024, got " + c);
    for (String p : policies) {
      if (AgentChoice.isModel(p)) {
        Path dir = Path.of(p.substring(AgentChoice.MODEL.length()));
        if (!Files.isDirectory(dir))
          throw new InputError("--policies: " + p + ": no model directory " + dir);
      } else if (!Policies.names().contains(p)) {
        throw new InputError(
            "--policies: expected names from "
                + Policies.names()
                + " or model:DIR, got '"
                + p
                + "'");
      }
    }
    for (String w : workloads) {
      for (double l : loadList)
        Runs.workload(new Cell(w, cpus.get(0), "fifo", l, 1)); // unknown names/params fail here
    }
  }

  private Map<String, Object> config(List<Double> loadList, List<Long> seedList, int n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policies", policies);
    m.put("workloads", workloads);
    m.put("cpus", cpus);
    m.put("loads", loads);
    m.put("seeds", seedList);
    m.put("tasks_per_run", tasks);
    m.put("overheads", "paper");
    m.put("jobs", cluster ? "cluster" : n);
    m.put("command", command());
    return m;
  }

  String command() {
    return "./ghost-gym eval --policies "
        + String.join(",", policies)
        + " --workloads "
        + String.join(",", workloads)
        + " --cpus "
        + String.join(",", cpus.stream().map(String::valueOf).toList())
        + " --loads "
        + loads
        + " --seeds "
        + seeds
        + " --tasks "
        + tasks;
  }

  private String resultsPage(List<Summary.Row> rows) {
    return "# Results\n\nThe standard table: each policy on each workload, "
        + String.join(",", cpus.stream().map(String::valueOf).toList())
        + " enclave CPUs, the ghOSt paper's agent overheads, "
        + tasks
        + " tasks per run. Produced by `ghost-gym eval`;"
        + " regenerate it with\n\n```\n"
        + command()
        + " --out out/results --force --results-md docs/RESULTS.md\n```\n\n"
        + "Numbers are simulated time and do not depend on the machine; they do change when the kernel model changes. "
        + "Policies with one global agent (centralized ones) give one enclave CPU to that spinning agent, as ghOSt "
        + "does, so their tasks share one CPU fewer. See docs/REPORTS.md for what each column means.\n\n"
        + Tables.markdown(rows);
  }

  static List<Double> parseLoads(String s) {
    if (s.trim().equals("default")) return List.of(Double.NaN);
    List<Double> out = new ArrayList<>();
    for (String part : s.split(",")) {
      try {
        double l = Double.parseDouble(part.trim());
        if (!(l > 0 && l <= 2)) throw new NumberFormatException();
        out.add(l);
      } catch (NumberFormatException e) {
        throw new InputError(
            "--loads: expected loads in (0, 2] separated by commas, or 'default', got '"
                + part
                + "'");
      }
    }
    return out;
  }

  static List<Long> parseSeeds(String s, String option) {
    List<Long> out = new ArrayList<>();
    try {
      int dots = s.indexOf("..");
      if (dots >= 0) {
        long a = Long.parseLong(s.substring(0, dots).trim()),
            b = Long.parseLong(s.substring(dots + 2).trim());
        if (b < a || b - a >= 10_000) throw new NumberFormatException();
        for (long x = a; x <= b; x++) out.add(x);
      } else {
        for (String p : s.split(",")) out.add(Long.parseLong(p.trim()));
      }
    } catch (NumberFormatException e) {
      throw new InputError(option + ": expected A..B (A <= B) or S,S,..., got '" + s + "'");
    }
    return out;
  }
}
