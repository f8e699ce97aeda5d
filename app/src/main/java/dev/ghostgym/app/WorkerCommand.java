package dev.ghostgym.app;

import dev.ghostgym.app.eval.CellWorker;
import dev.ghostgym.cluster.ClusterSettings;
import dev.ghostgym.cluster.EnvNode;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ghost-gym worker}: a cluster node that hosts environments for learners elsewhere ({@code
 * train --cluster}) and runs evaluation cells for {@code eval --cluster}; runs until Ctrl-C (or
 * {@code --seconds}), then leaves the cluster gracefully so that its environments move to the other
 * workers.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Start a cluster node hosting environments (Pekko Cluster Sharding); see docs/SCALE.md.")
final class WorkerCommand implements Callable<Integer> {
  @Option(
      names = "--seed-nodes",
      paramLabel = "HOST:PORT,...",
      description =
          "Nodes to join. None: this node starts a cluster (others list it as their seed).")
  String seedNodes = "";

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      description = "Address to bind and advertise. Default: ghost-gym.cluster.host (127.0.0.1).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "-1",
      description = "Port (0: a free one). Default: ghost-gym.cluster.port (2552).")
  int port;

  @Option(
      names = "--seconds",
      paramLabel = "N",
      defaultValue = "0",
      description = "Leave after N seconds (0: run until Ctrl-C).")
  long seconds;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description =
          "Evaluation runs (eval --cluster) in parallel on this node. Default: its cores.")
  Integer jobs;

  @Override
  public Integer call() throws InterruptedException {
    if (seconds < 0) throw new InputError("--seconds: expected >= 0, got " + seconds);
    if (jobs != null && jobs < 1) throw new InputError("--jobs: expected >= 1, got " + jobs);
    ClusterSettings s = settings(seedNodes, host, port, List.of(ClusterSettings.WORKER));
    EnvNode node = EnvNode.start(s);
    int slots = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
    CellWorker.start(node.system(), slots);
    Thread hook = new Thread(node::close, "ghost-gym-worker-leave");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println(
        "ghost-gym worker: "
            + node.address()
            + " hosting environments and "
            + slots
            + " evaluation run(s) at a time"
            + (s.seedNodes().isEmpty()
                ? " (first node: join with --seed-nodes "
                    + node.address().getHost().get()
                    + ":"
                    + node.address().getPort().get()
                    + ")"
                : ", seeds " + s.seedNodes()));
    if (seconds > 0) {
      node.system()
          .getWhenTerminated()
          .toCompletableFuture()
          .completeOnTimeout(null, seconds, TimeUnit.SECONDS)
          .join();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        return 0; // Ctrl-C or a signal came first: the hook is leaving the cluster
      }
      node.close();
    } else {
      node.system().getWhenTerminated().toCompletableFuture().join();
    }
    return 0;
  }

  /**
   * The most {@code --worker-wait} (train and eval --cluster) accepts, in seconds: a week. The
   * waits count in nanoseconds, which a Duration holds for 292 years only: a larger wait would fail
   * after the node started (eval's coordinator would stop and never answer) instead of here.
   */
  static final long MAX_WORKER_WAIT_S = 604_800;

  /** --worker-wait's upper bound (each command words the lower one itself). */
  static void checkWorkerWaitAtMost(Long seconds) {
    if (seconds != null && seconds > MAX_WORKER_WAIT_S)
      throw new InputError(
          "--worker-wait: expected at most "
              + MAX_WORKER_WAIT_S
              + " (seconds, a week), got "
              + seconds);
  }

  /**
   * A learner's settings (train and eval --cluster): {@code --cluster-port} 0..65535 (0: a free
   * one), checked here under its own name; a negative port would mean the configured one to {@link
   * #settings}.
   */
  static ClusterSettings learnerSettings(String seedNodes, int clusterPort) {
    if (clusterPort < 0 || clusterPort > 65535)
      throw new InputError("--cluster-port: expected 0..65535 (0: a free one), got " + clusterPort);
    return settings(seedNodes, null, clusterPort, List.of(ClusterSettings.LEARNER));
  }

  /**
   * Settings from configuration with the command line's overrides; a bad value is an input error.
   */
  static ClusterSettings settings(String seedNodes, String host, int port, List<String> roles) {
    try {
      ClusterSettings s =
          ClusterSettings.load()
              .withSeedNodes(ClusterSettings.parseSeedNodes(seedNodes))
              .withRoles(roles);
      if (host != null) s = s.withHost(host);
      if (port >= 0) s = s.withPort(port);
      return s;
    } catch (IllegalArgumentException e) {
      throw new InputError("--" + e.getMessage());
    }
  }
}
