package dev.ghostgym.app;

import dev.ghostgym.actors.agent.AgentEngine;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.app.trace.LiveTrace;
import dev.ghostgym.app.trace.PerfettoTrace;
import dev.ghostgym.app.trace.ScheduleLog;
import dev.ghostgym.config.AtomicFile;
import dev.ghostgym.emulation.EmulatedWarmup;
import dev.ghostgym.ghostfs.EnclaveHandle;
import dev.ghostgym.ghostfs.GhostUnavailable;
import dev.ghostgym.ghostfs.Ghostfs;
import dev.ghostgym.ghostfs.ProcStat;
import dev.ghostgym.live.AgentTurns;
import dev.ghostgym.live.CpuList;
import dev.ghostgym.live.JvmPauses;
import dev.ghostgym.live.JvmReport;
import dev.ghostgym.live.KernelDevice;
import dev.ghostgym.live.Launcher;
import dev.ghostgym.live.LiveEnclave;
import dev.ghostgym.live.LiveMetrics;
import dev.ghostgym.live.PrioTableLink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ghost-gym live}: runs a command under a ghost-gym policy on a ghOSt kernel. Creates an
 * enclave on {@code --cpus} (or takes over a running one, {@code --enclave}: rebootless upgrade),
 * starts the agents, starts the command inside the enclave, and when it exits prints the agents'
 * numbers and the command's per-thread CPU times. Without ghOSt it prints one line and exits 1,
 * having created nothing.
 */
@Command(
    name = "live",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Run COMMAND under a scheduling policy on a ghOSt kernel (ghost-gym live --cpus 1-3 --policy fifo -- COMMAND ARGS...).")
final class LiveCommand implements Callable<Integer> {
  @Option(
      names = "--cpus",
      paramLabel = "LIST",
      description = "EnclaveHandle CPUs, e.g. 1-3 or 1,2,5 (required unless --enclave).")
  String cpus;

  @Option(
      names = "--policy",
      paramLabel = "NAME",
      defaultValue = "fifo",
      description =
          "Scheduling policy (see `ghost-gym policies`; oracle policies cannot run live). Default: ${DEFAULT-VALUE}.")
  String policy;

  @Option(
      names = "--set",
      paramLabel = "policy.KEY=VALUE",
      description = "A policy parameter, e.g. --set policy.slice=30us.")
  List<String> sets = List.of();

  @Option(
      names = "--enclave",
      paramLabel = "PATH",
      description =
          "Take over the running enclave at PATH (e.g. /sys/fs/ghost/enclave_1) from its agent process: rebootless upgrade.")
  Path enclave;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Seed of a randomized policy. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--watchdog",
      paramLabel = "MS",
      defaultValue = "1000",
      description =
          "Log runnable tasks left without a CPU for longer than MS milliseconds (0: off). Default: ${DEFAULT-VALUE}.")
  long watchdogMs;

  @Option(
      names = "--watchdog-destroys",
      description = "When the watchdog fires, destroy the enclave (tasks go back to CFS).")
  boolean watchdogDestroys;

  @Option(
      names = "--handoff",
      description =
          "On exit, leave the enclave to the next agent process instead of destroying it.")
  boolean handoff;

  @Option(
      names = "--warmup-passes",
      paramLabel = "N",
      defaultValue = "" + EmulatedWarmup.DEFAULT_PASSES,
      description =
          "Before attaching, run N passes of the same policy on the emulated kernel so the JIT has compiled the decision path (0: no warm-up). Default: ${DEFAULT-VALUE}.")
  long warmupPasses;

  @Option(
      names = "--prio-table",
      paramLabel = "command|PID|FILE|none",
      defaultValue = "command",
      description =
          "Where hints are read: the PrioTable the command creates (command), that of process PID, a PrioTable FILE, or none. Default: ${DEFAULT-VALUE}.")
  String prioTable;

  @Option(
      names = "--json",
      paramLabel = "FILE|-",
      description = "Write the report as JSON to FILE, or to stdout alone with -.")
  String json;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "Write a Perfetto trace rebuilt from what the agents observed (sched_switch/sched_waking per CPU, agent passes, txn commits, runnable count), shaped as simulate --trace's.")
  Path trace;

  @Option(
      names = "--ghostfs",
      hidden = true,
      defaultValue = "/sys/fs/ghost",
      description = "Where ghostfs is mounted.")
  Path ghostfs;

  @Parameters(
      paramLabel = "COMMAND",
      arity = "0..*",
      description = "The command and its arguments, after --.")
  List<String> command = List.of();

  private String enclaveCpus;
  private LiveTrace timeline; // with --trace: what the agents observed

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (command.isEmpty())
      throw new InputError(
          "live: expected the command to run after --, e.g. ghost-gym live --cpus 1-3 -- ./server");
    int[] cpuIds = parseCpus();
    int enclaveId = enclave == null ? -1 : enclaveId(enclave);
    Path jsonFile = checkWatchdogAndOutputs();
    Map<String, String> params = policyParams(sets);
    AgentEngine agents = Inputs.parse("--policy", () -> AgentChoice.create(policy, params, seed));
    PolicyGuard guard = agents.guard();
    rejectOracle(guard, params);
    AtomicLong commandPid = new AtomicLong();
    PrioTableLink hints = PrioTableOption.parse(prioTable, commandPid::get, Path.of("/proc"));

    // Everything above is checked before ghostfs is touched; from here on nothing exists until
    // created.
    EnclaveHandle e = openEnclave(enclaveId, cpuIds);
    if (e == null) return 1;
    KernelDevice dev = openDevice(e);
    if (dev == null) return 1;
    checkEnclaveCpus(cpuIds, dev);
    LiveEnclave live = startAgents(dev, agents, params, hints);
    if (live == null) return 1;
    JvmPauses pauses = JvmPauses.start(); // from the first real pass: the warm-up is not counted
    enclaveCpus = e.cpulist(); // read while the enclave exists: the report is made after destroy

    long t0 = System.nanoTime();
    Process p;
    try {
      p = Launcher.start(e.dir().resolve("tasks"), command);
    } catch (IOException ex) {
      live.close();
      System.err.println(
          "ghost-gym: live: cannot start " + command.get(0) + ": " + ex.getMessage());
      return 1;
    }
    commandPid.set(p.pid());
    Launcher.Sampler threads = new Launcher.Sampler(p.pid(), 100, dev::addTask);
    int exit = p.waitFor();
    threads.sample();
    threads.close();
    double wall = (System.nanoTime() - t0) / 1e9;
    LiveMetrics.Snapshot m = live.metrics();
    long passes = live.passes();
    long alarms = live.watchdogAlarms();
    int machineCpus = dev.cpus();
    live.close();
    if (hints != null) System.err.println("ghost-gym live: " + hints.describe());
    String traceLine = timeline == null ? "" : writeTrace(timeline, machineCpus, threads.threads());
    String jvm =
        JvmReport.summary(
            pauses.report(), live.passTimes().percentiles(), live.warmupPasses(), live.warmupNs());

    LiveRunReport run =
        new LiveRunReport(
            command,
            policy,
            enclaveCpus,
            e,
            guard,
            params,
            m,
            passes,
            alarms,
            exit,
            wall,
            threads.threads(),
            live);
    Map<String, Object> report = run.json();
    report.put(
        "jvm",
        JvmReport.json(
            pauses.report(), live.passTimes().percentiles(), live.warmupPasses(), live.warmupNs()));
    printReport(run, report, jsonFile, jvm);
    if (!"-".equals(json)) System.out.print(traceLine);
    return live.failure() == null ? 0 : 1;
  }

  /** The enclave's device; null (said why, the enclave closed) if it cannot be opened. */
  private KernelDevice openDevice(EnclaveHandle e) {
    try {
      return new KernelDevice(e);
    } catch (RuntimeException ex) {
      closeEnclave(e);
      System.err.println("ghost-gym: live: " + ex.getMessage());
      return null;
    }
  }

  /** Warms the decision path up, then starts the agents; null (said why) if they did not start. */
  private LiveEnclave startAgents(
      KernelDevice dev, AgentEngine agents, Map<String, String> params, PrioTableLink hints) {
    LiveEnclave live =
        new LiveEnclave(dev, agents, AgentTurns.free(dev), liveOptions(), System.err);
    if (hints != null) live.prioTable(hints);
    timeline = recordTimeline(live);
    if (warmupPasses > 0) {
      int n = dev.enclaveCpus().length;
      live.warmUpWith(
          new EmulatedWarmup(
              () -> AgentChoice.create(policy, params, seed), dev.abi(), n, warmupPasses, 30_000));
    }
    live.closeOnExit(); // Ctrl-C: agents stop, the enclave is destroyed (tasks back to CFS)
    try {
      live.start();
      return live;
    } catch (RuntimeException ex) {
      live.close();
      System.err.println("ghost-gym: live: the agents could not start: " + ex.getMessage());
      return null;
    }
  }

  /**
   * Attaches to {@code --enclave} or creates an enclave on {@code cpuIds}; null, with one line on
   * stderr, when ghostfs is missing or refuses.
   */
  private EnclaveHandle openEnclave(int enclaveId, int[] cpuIds) {
    try {
      Ghostfs fs = Ghostfs.open(enclave != null ? enclave.toAbsolutePath().getParent() : ghostfs);
      return enclave != null ? fs.attach(enclaveId) : fs.createEnclave(1, CpuList.format(cpuIds));
    } catch (GhostUnavailable ex) {
      System.err.println("ghost-gym: " + ex.getMessage());
      return null;
    } catch (RuntimeException ex) {
      System.err.println(
          "ghost-gym: live: "
              + (enclave != null ? "cannot attach to " + enclave : "cannot create an enclave")
              + ": "
              + ex.getMessage());
      return null;
    }
  }

  /**
   * Checks {@code --watchdog}, {@code --warmup-passes}, {@code --json} and {@code --trace}; the
   * JSON file or null.
   */
  private Path checkWatchdogAndOutputs() {
    if (watchdogMs < 0)
      throw new InputError("--watchdog: expected milliseconds >= 0, got " + watchdogMs);
    if (warmupPasses < 0)
      throw new InputError("--warmup-passes: expected a count >= 0, got " + warmupPasses);
    if (trace != null) Outputs.file("--trace", trace.toString());
    return "-".equals(json) ? null : Outputs.file("--json", json);
  }

  /** With {@code --trace}: a recorder of what the agents observe, watching {@code live}. */
  private LiveTrace recordTimeline(LiveEnclave live) {
    if (trace == null) return null;
    LiveTrace t = new LiveTrace(g -> "task");
    live.observe(t);
    return t;
  }

  /**
   * Writes {@code --trace} from what the agents observed; tasks are named by the {@code comm} the
   * thread sampler saw for their tid.
   */
  private String writeTrace(LiveTrace timeline, int cpus, Map<Long, ProcStat> threads) {
    LongFunction<String> names =
        gtid -> {
          ProcStat s = threads.get((long) ScheduleLog.pid(gtid));
          return s == null ? "task" : s.comm();
        };
    ScheduleLog log = timeline.withNames(names).toLog(cpus);
    AtomicFile.writeUnchecked(
        trace, out -> PerfettoTrace.write(log, String.join(" ", command), out));
    return "  Perfetto trace: " + trace + " (open in https://ui.perfetto.dev)\n";
  }

  /** The CPUs of {@code --cpus}, or null with {@code --enclave}; an error when neither is given. */
  private int[] parseCpus() {
    if (cpus != null) {
      try {
        return CpuList.parse(cpus);
      } catch (IllegalArgumentException e) {
        throw new InputError("--cpus: " + e.getMessage());
      }
    } else if (enclave == null) {
      throw new InputError(
          "live: expected --cpus LIST (the CPUs of a new enclave) or --enclave PATH (a running one)");
    }
    return null;
  }

  /** Closes {@code e}: a created enclave is destroyed, an attached one is left running. */
  private void closeEnclave(EnclaveHandle e) {
    if (enclave == null) e.close();
    else {
      e.keepOnClose();
      e.close();
    }
  }

  private void rejectOracle(PolicyGuard guard, Map<String, String> params) {
    // GHOST_IOC_SYNC_GROUP_TXN is modelled in the simulator only; live ports commit plain txns.
    if (Boolean.parseBoolean(params.getOrDefault("sync_group", "false")))
      throw new InputError(
          "--set policy.sync_group: sync-group commits are simulated only; live mode commits"
              + " with COMMIT_TXN (leave it unset)");
    if (guard.policy().oracle()) {
      throw new InputError(
          "--policy: "
              + policy
              + " reads true service times, which only the simulator knows; it cannot run live");
    }
  }

  private void checkEnclaveCpus(int[] cpuIds, KernelDevice dev) {
    if (cpuIds != null && enclave != null && !Arrays.equals(cpuIds, dev.enclaveCpus())) {
      dev.close();
      throw new InputError(
          "--cpus "
              + cpus
              + ": the enclave "
              + enclave
              + " has CPUs "
              + CpuList.format(dev.enclaveCpus()));
    }
  }

  private LiveEnclave.Options liveOptions() {
    return LiveEnclave.Options.live()
        .withUpgrade(enclave != null)
        .withDestroyOnClose(!handoff)
        .withWatchdog(watchdogMs * 1_000_000, watchdogDestroys);
  }

  private void printReport(LiveRunReport run, Map<String, Object> report, Path jsonFile, String jvm)
      throws IOException {
    if ("-".equals(json)) {
      System.out.print(Json.write(report));
    } else {
      System.out.print(run.summary());
      System.out.print(jvm);
      if (json != null) {
        Outputs.writeString("--json", jsonFile, Json.write(report));
        System.out.println("  JSON report: " + json);
      }
    }
  }

  static Map<String, String> policyParams(List<String> sets) {
    Map<String, String> params = new LinkedHashMap<>();
    SimulateCommand.parseSets(sets)
        .forEach(
            (k, v) -> {
              if (!k.startsWith("policy.")) {
                throw new InputError(
                    "--set "
                        + k
                        + ": live mode takes only policy parameters (policy.KEY=VALUE); the workload is the command");
              }
              params.put(k.substring("policy.".length()), v);
            });
    return params;
  }

  static int enclaveId(Path dir) {
    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
    if (!name.matches("enclave_\\d+")) {
      throw new InputError(
          "--enclave "
              + dir
              + ": expected a ghostfs enclave directory such as /sys/fs/ghost/enclave_1");
    }
    return Integer.parseInt(name.substring("enclave_".length()));
  }
}
