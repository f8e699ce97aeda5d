package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.cluster.ClusterSettings;
import dev.ghostgym.cluster.EnvNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --cluster} against a worker node in this JVM, and the cluster options' input errors.
 */
class TrainOnClusterTest {
  @TempDir Path dir;

  @Test
  void trainsWithItsEnvironmentsOnAWorkerNode() throws Exception {
    try (EnvNode worker =
        EnvNode.start(
            ClusterSettings.load().withPort(0).withRoles(List.of(ClusterSettings.WORKER)))) {
      assertTrue(worker.awaitUp(1, Duration.ofSeconds(20)));
      Path out = dir.resolve("ppo");
      Cli r =
          Cli.run(
              "train",
              "--workload",
              "mmc",
              "--cpus",
              "2",
              "--algo",
              "ppo",
              "--steps",
              "512",
              "--seed",
              "3",
              "--out",
              out.toString(),
              "--set",
              "tasks=200",
              "--set",
              "algo.numSteps=64",
              "--set",
              "algo.numEnvs=4",
              "--eval-seeds",
              "1",
              "--cluster",
              "--seed-nodes",
              "127.0.0.1:" + worker.address().getPort().get());
      assertEquals(0, r.code(), r.err());
      assertTrue(Files.exists(out.resolve("checkpoint.json")));
      assertTrue(
          r.out()
              .contains(
                  "cluster envs per node: {"
                      + worker.address()
                      + "=4}, episodes lost to faults: 0"),
          r.out());
    }
  }

  @Test
  void clusterOptionsAreCheckedBeforeAnythingStarts() {
    String out = dir.resolve("x").toString();
    Cli noSeeds = Cli.run("train", "--steps", "10", "--out", out, "--cluster");
    assertEquals(2, noSeeds.code());
    assertTrue(noSeeds.err().contains("--seed-nodes: required with --cluster"), noSeeds.err());
    assertEquals(
        2,
        Cli.run("train", "--steps", "10", "--out", out, "--seed-nodes", "127.0.0.1:2552").code());
    Cli bad =
        Cli.run("train", "--steps", "10", "--out", out, "--cluster", "--seed-nodes", "localhost");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--seed-nodes: expected HOST:PORT, got 'localhost'"), bad.err());
    Cli worker = Cli.run("worker", "--seed-nodes", "a:b");
    assertEquals(2, worker.code());
    assertTrue(worker.err().contains("--seed-nodes: expected HOST:PORT"), worker.err());
    assertEquals(2, Cli.run("worker", "--seconds", "-1").code());
    assertTrue(Files.notExists(dir.resolve("x")));
  }
}
