package dev.ghostgym.app;

import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.live.seed.SeedBridge;
import dev.ghostgym.nativ.Sys;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ghost-gym seed-bridge}: lets the earlier prototype's C++ {@code rl_scheduler_agent} be
 * driven by a ghost-gym policy over its TCP protocol (metrics in on 14014, insert positions out to
 * 17213). Runs until interrupted, then prints its counts.
 */
@Command(name = "seed-bridge", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Answer the seed prototype's rl_scheduler_agent with a ghost-gym policy (metrics on TCP 14014, actions to 17213).")
final class SeedBridgeCommand implements Callable<Integer> {
  @Option(names = "--policy", paramLabel = "NAME", defaultValue = "fifo",
      description = "The policy whose INSERT answers become the insert positions. Default: ${DEFAULT-VALUE}.")
  String policy;

  @Option(names = "--set", paramLabel = "policy.KEY=VALUE", description = "A policy parameter.")
  List<String> sets = List.of();

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of a randomized policy. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--metrics-host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "Address to listen on for metrics. Default: ${DEFAULT-VALUE}.")
  String metricsHost;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "14014",
      description = "Port the agent sends metrics to. Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(names = "--action-host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "Where the agent listens for actions. Default: ${DEFAULT-VALUE}.")
  String actionHost;

  @Option(names = "--action-port", paramLabel = "PORT", defaultValue = "17213",
      description = "Port the agent listens on for actions. Default: ${DEFAULT-VALUE}.")
  int actionPort;

  /** Counted down by tests (or never): the bridge serves until the JVM is interrupted. */
  static volatile CountDownLatch stop = new CountDownLatch(1);

  @Override public Integer call() throws IOException, InterruptedException {
    if (metricsPort < 0 || metricsPort > 65535) throw new InputError("--metrics-port: expected 0..65535, got " + metricsPort);
    if (actionPort < 1 || actionPort > 65535) throw new InputError("--action-port: expected 1..65535, got " + actionPort);
    Map<String, String> params = LiveCommand.policyParams(sets);
    PolicyGuard guard = Inputs.parse("--policy", () -> Policies.create(policy, params, seed)).guard();
    if (guard.policy().oracle()) {
      throw new InputError("--policy: " + policy + " reads true service times, which only the simulator knows; it"
          + " cannot drive the seed agent");
    }
    SeedBridge.Options o = new SeedBridge.Options(metricsHost, metricsPort, actionHost, actionPort, 20_000_000L,
        1_000_000_000L / clockTicks(), 64, 5_000_000L, 2_000_000L);
    SeedBridge bridge = new SeedBridge(guard, o, System.err);
    try {
      bridge.start();
    } catch (IOException e) {
      System.err.println("ghost-gym: seed-bridge: cannot listen on " + metricsHost + ":" + metricsPort + ": " + e.getMessage());
      return 1;
    }
    System.out.printf("ghost-gym seed-bridge: policy %s; metrics on %s:%d, actions to %s:%d (Ctrl-C stops)%n", policy,
        metricsHost, bridge.port(), actionHost, actionPort);
    Thread report = new Thread(() -> {
      bridge.close();
      System.out.println("ghost-gym seed-bridge: " + bridge.stats());
    }, "seed-bridge-shutdown");
    Runtime.getRuntime().addShutdownHook(report);
    stop.await();
    Runtime.getRuntime().removeShutdownHook(report);
    report.run();
    return 0;
  }

  private static long clockTicks() {
    try {
      return Sys.clockTicksPerSecond();
    } catch (RuntimeException | LinkageError e) {
      return 100;
    }
  }
}
