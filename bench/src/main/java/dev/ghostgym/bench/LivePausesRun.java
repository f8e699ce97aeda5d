package dev.ghostgym.bench;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.emulation.EmulatedKernel;
import dev.ghostgym.emulation.EmulatedWarmup;
import dev.ghostgym.live.JvmPauses;
import dev.ghostgym.live.JvmReport;
import dev.ghostgym.live.LiveEnclave;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.Map;

/**
 * A long emulated live run, to measure what the JVM does to the agents: {@code LiveEnclave}'s agent
 * threads (one per CPU) run the agents of {@code policy} over the emulated kernel (every message
 * through a real ring, every txn through {@code cpu_data}) on the {@code rocksdb-shinjuku} workload
 * until {@code tasks} requests completed, after the usual JIT warm-up. Prints the agents' pass
 * times (worst pass, p99.9), the GC pauses and safepoints of the run (JFR), and the collector and
 * flags it ran with, as {@code ghost-gym live} reports them.
 *
 * <p>Run (docs/PERFORMANCE.md): {@code java -XX:+UseZGC -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp
 * bench/target/benchmarks.jar dev.ghostgym.bench.LivePausesRun fifo 2 2000000}
 */
public final class LivePausesRun {
  private LivePausesRun() {}

  public static void main(String[] args) {
    String policy = args.length > 0 ? args[0] : "fifo";
    int cpus = args.length > 1 ? positive(args[1], "cpus") : 2;
    long tasks = args.length > 2 ? positive(args[2], "tasks") : 200_000;
    try {
      Policies.policy(policy, Map.of(), 1); // its one line names the policies there are
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
    }
    EmulatedKernel kernel = new EmulatedKernel(EmulatedKernel.Options.of(AbiVersion.V91));
    LiveEnclave live =
        new LiveEnclave(
            kernel,
            Policies.create(policy, Map.of(), 1),
            kernel.turns(),
            LiveEnclave.Options.emulated(),
            System.err);
    live.warmUpWith(
        new EmulatedWarmup(
            () -> Policies.create(policy, Map.of(), 1),
            AbiVersion.V91,
            cpus,
            EmulatedWarmup.DEFAULT_PASSES,
            30_000));
    Machine machine =
        kernel.boot(
            SimConfig.of(cpus, 1, Overheads.PAPER, tasks),
            Workloads.load("rocksdb-shinjuku", Map.of(), cpus),
            kernel.threaded(live));
    JvmPauses pauses = JvmPauses.start();
    long t0 = System.nanoTime();
    SimResult r;
    try {
      r = machine.run();
    } finally {
      live.close();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "emulated live run: %s on %d CPUs, %,d requests, %,d messages, %.1f s wall%n",
        policy, cpus, r.metrics().completed(), live.metrics().messages(), wall);
    System.out.print(
        JvmReport.summary(
            pauses.report(), live.passTimes().percentiles(), live.warmupPasses(), live.warmupNs()));
    System.out.println("  JVM flags: " + JvmReport.jvmFlags());
  }

  // Bad arguments get one line naming the argument and exit 2, before anything runs.
  private static int positive(String arg, String name) {
    try {
      int n = Integer.parseInt(arg);
      if (n > 0) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    usage(name + ": expected a positive integer, got '" + arg + "'");
    return 0;
  }

  private static void usage(String line) {
    System.err.println(
        "LivePausesRun: " + line + " (usage: LivePausesRun [policy] [cpus] [tasks])");
    System.exit(2);
  }
}
