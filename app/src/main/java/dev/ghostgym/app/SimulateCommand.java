package dev.ghostgym.app;

import dev.ghostgym.actors.agent.AgentEngine;
import dev.ghostgym.actors.enclave.ActorAgents;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.config.AtomicFile;
import dev.ghostgym.config.Durations;
import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import dev.ghostgym.sim.metrics.TaskRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ghost-gym simulate}: one run of a workload under a policy on the simulated machine. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Run a workload under a scheduling policy on a simulated ghOSt machine.")
final class SimulateCommand implements Callable<Integer> {
  @Option(
      names = "--workload",
      paramLabel = "NAME|FILE",
      defaultValue = "rocksdb-shinjuku",
      description =
          "Built-in workload name (see `ghost-gym workloads`) or a HOCON file. Default: ${DEFAULT-VALUE}.")
  String workload;

  @Option(
      names = "--policy",
      paramLabel = "NAME",
      defaultValue = "fifo",
      description =
          "Scheduling policy (see `ghost-gym policies`): fifo, centralized-fifo, rr, shinjuku, shinjuku-paper, cfs, edf, sjf, srpt, random, las, or model:DIR (a trained policy; --set policy.form=mlp|tree|djl). Default: ${DEFAULT-VALUE}.")
  String policy;

  @Option(
      names = "--cpus",
      paramLabel = "N",
      defaultValue = "4",
      description = "Enclave CPUs. Default: ${DEFAULT-VALUE}.")
  int cpus;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Seed of every random stream. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--tasks",
      paramLabel = "N",
      description =
          "Stop creating tasks after N arrivals and run until they finish. Default: 100000 unless --duration is given.")
  Long tasks;

  @Option(
      names = "--duration",
      paramLabel = "T",
      description = "Stop at simulated time T (e.g. 2s, 500ms).")
  String duration;

  @Option(
      names = "--overheads",
      paramLabel = "paper|none",
      defaultValue = "paper",
      description = "Agent costs: the ghOSt paper's (default) or none (an ideal agent).")
  String overheads;

  @Option(
      names = "--remote-target-cost",
      paramLabel = "T",
      description =
          "What a successful remote commit costs its target CPU: the IPI delivery, then a switch of at most"
              + " the 599 ns context switch, before the committed task runs (the displaced one runs until the IPI)."
              + " Default: 1.599us with --overheads paper (an assumed 1us IPI + 599 ns), 0 with none.")
  String remoteTargetCost;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override a workload parameter, or a policy parameter with the prefix policy., value taken as written, e.g. --set load=0.8 --set 'service=exp(1ms)' --set policy.slice=30us.")
  List<String> sets = List.of();

  @Option(
      names = "--deployment",
      paramLabel = "actors|plain|live-emulated",
      defaultValue = "actors",
      description =
          "Run the agents as Pekko actors (one per CPU, default), as plain calls, or as live runs them (agent threads over the kernel's binary layouts, the simulator playing the kernel); all give the same run. With live-emulated, --trace is rebuilt from what the agents observed, as live --trace does.")
  String deployment;

  @Option(
      names = "--ticks",
      description = "Deliver CPU_TICK messages (the enclave tunable deliver_ticks).")
  boolean ticks;

  @Option(names = "--check", description = "Check ghOSt's invariants at every step (slower).")
  boolean check;

  @Option(
      names = "--task-log",
      paramLabel = "FILE",
      description =
          "Write one CSV row per finished task (arrival, first run, end, wait, runtime, preemptions, migrations).")
  Path taskLog;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "Write a Perfetto trace of the run (sched_switch/sched_waking per CPU, agent activations, txn commits, runnable count); open it in ui.perfetto.dev.")
  Path trace;

  @Option(
      names = "--gantt",
      paramLabel = "PREFIX",
      description =
          "Draw a per-CPU Gantt chart of the run (or of --window) to PREFIX.png and PREFIX.svg.")
  Path gantt;

  @Option(
      names = "--window",
      paramLabel = "FROM..TO",
      description = "The time window of --gantt, e.g. 0ms..5ms. Default: the whole run.")
  String window;

  @Option(
      names = "--json",
      paramLabel = "FILE|-",
      description = "Write the report as JSON to FILE, or to stdout alone with -.")
  String json;

  @Override
  public Integer call() throws IOException {
    long durationNs = durationNs();
    long maxTasks = tasks != null ? tasks : (durationNs > 0 ? 0 : 100_000);
    Overheads parsed = Inputs.parse("--overheads", () -> Overheads.parse(overheads));
    Overheads o =
        remoteTargetCost == null
            ? parsed
            : parsed.withRemoteTarget(
                Durations.parseNanos(remoteTargetCost, "--remote-target-cost"));
    Map<String, String> overrides = parseSets(sets);
    Map<String, String> policyParams = takePolicyParams(overrides);
    if (!List.of("actors", "plain", LIVE_EMULATED).contains(deployment)) {
      throw new InputError(
          "--deployment: expected actors, plain or live-emulated, got '" + deployment + "'");
    }
    Path jsonFile = "-".equals(json) ? null : Outputs.file("--json", json);
    Path logFile = taskLog == null ? null : Outputs.file("--task-log", taskLog.toString());
    if (trace != null) Outputs.file("--trace", trace.toString());
    if (gantt != null) Outputs.file("--gantt", gantt.toString());
    Workload w = Workloads.load(workload, overrides, cpus);
    RunChecks.beforeRun(w, durationNs);
    boolean model = AgentChoice.isModel(policy);
    AgentChoice.Choice choice =
        Inputs.parse(
            "--policy",
            () -> AgentChoice.choose(policy, policyParams, seed, o == Overheads.PAPER, cpus));
    ActorAgents actors =
        deployment.equals("actors") && !model
            ? Inputs.parse("--policy", () -> ActorAgents.create(policy, choice.params(), seed))
            : null;
    AgentEngine engine = actors != null ? actors.engine() : choice.agents();
    AgentHost agents = actors != null ? actors : engine;
    PolicyGuard guard = engine.guard();
    TraceOutputs timeline = TraceOutputs.of(trace, gantt, window);
    LiveEmulation emu = liveEmulation(engine, guard, timeline != null);

    SimConfig cfg = simConfig(o, maxTasks, durationNs);
    Machine machine =
        Inputs.parse("--set", () -> emu != null ? emu.boot(cfg, w) : new Machine(cfg, w, agents));
    if (actors != null) actors.bind(machine);
    if (timeline != null && emu == null) timeline.attach(machine);
    long t0 = System.nanoTime();
    SimResult r;
    long restarts;
    long enclaveFailures;
    try {
      r = logFile == null ? machine.run() : runWithTaskLog(machine, logFile);
      restarts = actors == null ? 0 : actors.agentRestarts();
      enclaveFailures = actors == null ? 0 : actors.enclaveFailures();
    } finally {
      if (actors != null) actors.close();
      if (emu != null) emu.close();
    }
    if (emu != null && timeline != null) timeline.use(emu.log(machine.cpuCount()));
    double wall = (System.nanoTime() - t0) / 1e9;

    RunSpec spec =
        new RunSpec(
            w.name(),
            w.params(),
            policy,
            choice.params(),
            guard.policy().oracle(),
            cpus,
            seed,
            o.name(),
            guard.fallbacks(),
            actors != null || emu != null ? deployment : "plain",
            restarts,
            choice.decisionCostNs(),
            choice.decisionCost(),
            enclaveFailures);
    String where =
        timeline == null
            ? ""
            : timeline.write(r.endNs(), w.name() + ", " + policy + ", seed " + seed);
    printReport(spec, r, wall, where, jsonFile);
    RunChecks.afterRun(r);
    return 0;
  }

  static final String LIVE_EMULATED = "live-emulated";

  /** The live agents over the emulated kernel, or null for another deployment. */
  private LiveEmulation liveEmulation(AgentEngine engine, PolicyGuard guard, boolean record) {
    if (!deployment.equals(LIVE_EMULATED)) return null;
    if (guard.policy().oracle())
      throw new InputError(
          "--deployment live-emulated: "
              + policy
              + " reads true service times, which only the simulator knows; it cannot run live");
    return new LiveEmulation(engine, record, System.err);
  }

  /** {@code --duration} in nanoseconds, 0 when not given (checks --cpus and --tasks first). */
  private long durationNs() {
    if (cpus < 1 || cpus > 1024) throw new InputError("--cpus: expected 1..1024, got " + cpus);
    if (tasks != null && tasks < 1)
      throw new InputError("--tasks: expected a positive count, got " + tasks);
    long durationNs =
        duration == null
            ? 0
            : Inputs.parse("--duration", () -> Durations.parseNanos(duration, "--duration"));
    if (duration != null && durationNs <= 0)
      throw new InputError("--duration: expected > 0, got " + duration);
    return durationNs;
  }

  /**
   * Removes the {@code policy.*} keys from {@code overrides} and returns them without the prefix.
   */
  private static Map<String, String> takePolicyParams(Map<String, String> overrides) {
    Map<String, String> policyParams = new LinkedHashMap<>();
    overrides
        .keySet()
        .removeIf(
            k -> {
              if (!k.startsWith("policy.")) return false;
              policyParams.put(k.substring("policy.".length()), overrides.get(k));
              return true;
            });
    return policyParams;
  }

  private SimConfig simConfig(Overheads o, long maxTasks, long durationNs) {
    return new SimConfig(
        cpus,
        seed,
        o,
        1_000_000,
        ticks,
        SimConfig.cfsMinGranularityNs(cpus),
        maxTasks,
        durationNs,
        check);
  }

  private void printReport(RunSpec spec, SimResult r, double wall, String where, Path jsonFile)
      throws IOException {
    if ("-".equals(json)) {
      System.out.print(Json.write(Report.json(spec, r, wall)));
    } else {
      System.out.print(Report.summary(spec, r, wall));
      System.out.print(where);
      if (jsonFile != null) {
        Outputs.writeString("--json", jsonFile, Json.write(Report.json(spec, r, wall)));
        System.out.println("  JSON report: " + json);
      }
    }
  }

  /**
   * The run, writing one CSV row per finished task to a temporary file renamed to FILE when the run
   * is done.
   */
  private SimResult runWithTaskLog(Machine machine, Path file) throws IOException {
    try (AtomicFile f = AtomicFile.open(file);
        BufferedWriter out =
            new BufferedWriter(
                new OutputStreamWriter(f.stream(), StandardCharsets.UTF_8), 1 << 16)) {
      out.write(TaskRecord.CSV_HEADER);
      out.newLine();
      machine.taskLog(
          rec -> {
            try {
              out.write(rec.csv());
              out.newLine();
            } catch (IOException e) {
              throw new UncheckedIOException(
                  "--task-log " + file + ": cannot write (" + e.getMessage() + ")", e);
            }
          });
      SimResult r = machine.run();
      out.flush();
      f.commit();
      return r;
    }
  }

  static Map<String, String> parseSets(List<String> sets) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq <= 0) throw new InputError("--set: expected KEY=VALUE, got '" + s + "'");
      m.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
    }
    return m;
  }
}
