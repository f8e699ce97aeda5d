package dev.ghostgym.cluster;

import java.time.Duration;
import java.util.List;

/**
 * A worker node in a JVM of its own, for {@link WorkerCrashTest}: joins the seed node given as its
 * first argument, waits until the cluster has as many members Up as the second says, prints {@code
 * UP <address>} and runs until it is killed.
 *
 * <p>Usage: {@code ChildWorker SEED_HOST:PORT MEMBERS}
 */
public final class ChildWorker {
  private ChildWorker() {}

  public static void main(String[] args) throws InterruptedException {
    WalkEnv.register();
    EnvNode node =
        EnvNode.start(
            ClusterSettings.load()
                .withPort(0)
                .withSeedNodes(List.of(args[0]))
                .withRoles(List.of(ClusterSettings.WORKER)));
    if (!node.awaitUp(Integer.parseInt(args[1]), Duration.ofSeconds(60))) {
      System.out.println("NOT UP");
      System.exit(1);
    }
    System.out.println("UP " + node.address());
    System.out.flush();
    node.system().getWhenTerminated().toCompletableFuture().join();
  }
}
