package dev.ghostgym.app;

import dev.ghostgym.app.eval.Cell;
import dev.ghostgym.app.eval.Matrix;
import dev.ghostgym.app.eval.RunOutcome;
import dev.ghostgym.app.eval.Runs;
import dev.ghostgym.app.eval.Summary;
import dev.ghostgym.app.eval.Tables;
import dev.ghostgym.app.io.Interrupt;
import dev.ghostgym.app.io.Progress;
import dev.ghostgym.app.report.Figure;
import dev.ghostgym.app.report.Gantt;
import dev.ghostgym.app.report.LearningCurve;
import dev.ghostgym.app.trace.PerfettoTrace;
import dev.ghostgym.app.trace.ScheduleLog;
import dev.ghostgym.config.AtomicFile;
import dev.ghostgym.learn.Ppo;
import dev.ghostgym.learn.PpoConfig;
import dev.ghostgym.learn.TrainLog;
import dev.ghostgym.learn.TrainResult;
import dev.ghostgym.learn.TrainSpec;
import dev.ghostgym.learn.TrainStopped;
import dev.ghostgym.learn.deploy.Distiller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ghost-gym quickstart}: the tour a new user runs first. Evaluates the heuristic policies on
 * the default workload, trains a small learned policy, evaluates it the same way, and writes one
 * report with the table, the figures, the learning curve, a Gantt chart and a Perfetto trace.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Evaluate the heuristic policies, train a small learned one, and write out/quickstart/report.html.")
final class QuickstartCommand implements Callable<Integer> {
  static final List<String> HEURISTICS =
      List.of("fifo", "centralized-fifo", "rr", "shinjuku", "cfs", "srpt");

  @Option(
      names = "--quick",
      description =
          "A smaller version (well under a minute): fewer tasks, loads, seeds and training steps.")
  boolean quick;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "out/quickstart",
      description = "Output directory. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--force", description = "Overwrite an earlier quickstart in --out.")
  boolean force;

  @Option(
      names = "--workload",
      paramLabel = "NAME",
      defaultValue = "rocksdb-shinjuku",
      description = "Workload. Default: ${DEFAULT-VALUE}.")
  String workload;

  @Option(
      names = "--cpus",
      paramLabel = "N",
      defaultValue = "4",
      description = "Enclave CPUs. Default: ${DEFAULT-VALUE}.")
  int cpus;

  @Option(
      names = "--train-steps",
      hidden = true,
      paramLabel = "N",
      description = "Training steps instead of the plan's (tests: a training long enough to stop).")
  Long trainSteps;

  /** The sizes of the two variants. */
  record Plan(
      List<Double> loads,
      List<Long> seeds,
      long tasks,
      long trainSteps,
      int trainTasks,
      String numSteps) {
    static Plan of(boolean quick) {
      return quick
          ? new Plan(List.of(0.5, 0.9), List.of(1L, 2L), 400, 1024, 200, "128")
          : new Plan(List.of(0.3, 0.5, 0.7, 0.9), List.of(1L, 2L, 3L), 5000, 65536, 2000, "512");
    }
  }

  @Override
  public Integer call() {
    if (cpus < 1 || cpus > 64) throw new InputError("--cpus: expected 1..64, got " + cpus);
    EvalReport.checkOut(out, force);
    Plan plan = Plan.of(quick);
    if (trainSteps != null) {
      if (trainSteps < 1) throw new InputError("--train-steps: expected >= 1, got " + trainSteps);
      plan =
          new Plan(
              plan.loads(),
              plan.seeds(),
              plan.tasks(),
              trainSteps,
              plan.trainTasks(),
              plan.numSteps());
    }
    for (double l : plan.loads())
      dev.ghostgym.app.eval.Runs.workload(new Cell(workload, cpus, "fifo", l, 1));
    int jobs = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        "ghost-gym quickstart%s: %s on %d CPUs -> %s%n",
        quick ? " --quick" : "", workload, cpus, out);
    List<RunOutcome> runs = new ArrayList<>();
    Map<String, Object> extra = new LinkedHashMap<>();
    boolean interrupted;
    Path model = out.resolve("model");
    try (Interrupt stop = Interrupt.install(System.err)) {
      System.out.println(
          "1/4 heuristic policies: " + HEURISTICS + " (srpt is an oracle, for reference)");
      List<Cell> cells =
          Matrix.cells(List.of(workload), List.of(cpus), HEURISTICS, plan.loads(), plan.seeds());
      runs.addAll(
          Matrix.run(
              cells, plan.tasks(), jobs, new Progress(System.err, "runs", cells.size()), stop));
      if (!stop.requested()) {
        System.out.println(
            "2/4 training a small PPO policy on ghost/PickNext-v0 ("
                + plan.trainSteps()
                + " steps)");
        extra.put("training", train(plan, model, stop));
      }
      if (!stop.requested()) {
        System.out.println("3/4 evaluating the learned policy (model:" + model + ")");
        List<Cell> cells2 =
            Matrix.cells(
                List.of(workload),
                List.of(cpus),
                List.of("model:" + model),
                plan.loads(),
                plan.seeds());
        runs.addAll(
            Matrix.run(
                cells2, plan.tasks(), jobs, new Progress(System.err, "runs", cells2.size()), stop));
      }
      interrupted = stop.requested();
    }
    if (runs.isEmpty()) {
      System.out.println("interrupted before any run finished; nothing written");
      return 130;
    }
    writeReport(plan, model, runs, extra, interrupted);
    return interrupted ? 130 : 0;
  }

  private static Map<String, Object> trainingSummary(TrainResult t) {
    return Map.of(
        "interrupted",
        false,
        "algo",
        "ppo",
        "env",
        "ghost/PickNext-v0",
        "steps",
        t.steps(),
        "steps_per_s",
        t.stepsPerSecond(),
        "heldout_mean_response_us",
        t.lastEvalResponseUs(),
        "heldout_fifo_mean_response_us",
        t.fifoResponseUs());
  }

  private void writeReport(
      Plan plan,
      Path model,
      List<RunOutcome> runs,
      Map<String, Object> extra,
      boolean interrupted) {
    System.out.println("4/4 writing the report");
    List<Summary.Row> rows = Summary.of(runs);
    List<Figure> figures = new ArrayList<>(EvalReport.figures(rows));
    Path progress = model.resolve(TrainLog.CSV);
    if (Files.exists(progress)) figures.add(LearningCurve.of(progress, "learning-curve"));
    figures.addAll(timelines(plan));
    extra.put("trace", TRACE);
    extra.put("interrupted", interrupted);
    Path html =
        EvalReport.write(
            out,
            "ghost-gym quickstart",
            config(plan),
            runs,
            rows,
            figures,
            extra,
            note(extra, interrupted));
    System.out.print(Tables.text(rows));
    System.out.println(
        "report: "
            + html
            + "  (results.json, summary.csv, figures as PNG and SVG, "
            + TRACE
            + " for ui.perfetto.dev, in "
            + out
            + ")");
  }

  /** The report's note on an interrupted quickstart: what finished and what did not. */
  private static String note(Map<String, Object> extra, boolean interrupted) {
    if (!interrupted) return null;
    if (extra.get("training") instanceof Map<?, ?> t && Boolean.TRUE.equals(t.get("interrupted")))
      return "Interrupted during training (checkpoint saved at step "
          + t.get("steps")
          + " in model/): the report holds the heuristic policies' runs; the learned policy was"
          + " not evaluated.";
    return "Interrupted: the report holds the runs that finished.";
  }

  static final String TRACE = "trace.perfetto-trace";

  /**
   * One run recorded as a Perfetto trace and drawn as a Gantt chart of 2 ms in its middle, and the
   * whole of seed single_exp (a thread, its 1 ms sleeps, its children, the agent) as a second
   * chart.
   */
  private List<Figure> timelines(Plan plan) {
    List<Figure> figs = new ArrayList<>();
    String policy = "shinjuku";
    Cell cell = new Cell(workload, cpus, policy, 0.7, 1);
    ScheduleLog[] log = new ScheduleLog[1];
    Runs.run(
        cell,
        plan.tasks() / 4,
        m -> {
          log[0] = new ScheduleLog(m.cpuCount());
          m.observe(log[0]);
        });
    log[0].finish(log[0].end());
    String title = workload + ", " + policy + ", load 0.7, seed 1";
    EvalReport.createOut(out);
    AtomicFile.writeUnchecked(out.resolve(TRACE), o -> PerfettoTrace.write(log[0], title, o));
    long mid = log[0].end() / 2;
    figs.add(
        Gantt.chart(
            log[0],
            mid,
            mid + 2_000_000,
            "Schedule: " + workload + ", " + policy + ", load 0.7 (2 ms)",
            "gantt-" + workload));
    ScheduleLog[] single = new ScheduleLog[1];
    Runs.run(
        new Cell("seed-single-exp", 2, "fifo", Double.NaN, 1),
        1,
        m -> {
          single[0] = new ScheduleLog(m.cpuCount());
          m.observe(single[0]);
        });
    single[0].finish(single[0].end());
    figs.add(
        Gantt.chart(
            single[0],
            0,
            single[0].end(),
            "Schedule: seed-single-exp, fifo, 2 CPUs",
            "gantt-seed-single-exp"));
    return figs;
  }

  /**
   * Trains and exports the small policy; returns the training's summary. A Ctrl-C is seen after the
   * PPO update in flight: the run saves its checkpoint there and the export is skipped.
   */
  private Map<String, Object> train(Plan plan, Path model, Interrupt stop) {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("workload", workload);
    options.put("cpus", cpus);
    options.put("tasks", plan.trainTasks());
    TrainSpec spec =
        new TrainSpec(
            "ghost/PickNext-v0",
            options,
            1,
            plan.trainSteps(),
            model,
            false,
            0,
            TrainSpec.heldOutSeeds(quick ? 1 : 3),
            System.out,
            stop::requested);
    TrainResult r;
    try {
      r = Ppo.train(PpoConfig.withOverrides(Map.of("numSteps", plan.numSteps())), spec);
    } catch (TrainStopped e) {
      System.out.println(e.getMessage().replaceFirst("^train: ", "training "));
      return Map.of(
          "interrupted", true, "algo", "ppo", "env", "ghost/PickNext-v0", "steps", e.step());
    }
    // As train does: export the deployable forms and calibrate their decision cost, which the
    // evaluation then charges (model:DIR runs the exported network by default).
    var d = Distiller.Settings.DEFAULT;
    ExportCommand.run(
        model,
        new Distiller.Settings(
            d.fitSeeds(),
            d.checkSeeds(),
            Math.min(d.tasks(), Math.max(1000, 2L * plan.trainTasks())),
            d.maxDepth(),
            d.minLeaf()));
    return trainingSummary(r);
  }

  private Map<String, Object> config(Plan plan) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "./ghost-gym quickstart" + (quick ? " --quick" : ""));
    m.put("workload", workload);
    m.put("cpus", cpus);
    m.put("loads", plan.loads());
    m.put("seeds", plan.seeds());
    m.put("tasks_per_run", plan.tasks());
    m.put("overheads", "paper");
    m.put(
        "learned_policy",
        "PPO on ghost/PickNext-v0, "
            + plan.trainSteps()
            + " steps, "
            + plan.trainTasks()
            + " tasks per episode, seed 1");
    return m;
  }
}
