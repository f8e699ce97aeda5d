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

  private Cli train(String name, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
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
                dir.resolve(name).toString(),
                "--set",
                "tasks=200",
                "--set",
                "algo.numSteps=64",
                "--set",
                "algo.numEnvs=4",
                "--eval-seeds",
                "1"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /**
   * The learning curve without its wall-clock column, and the trained parameters' hash (the
   * checkpoint's other fields include measured decision costs).
   */
  private List<String> result(String name) throws java.io.IOException {
    List<String> out = new java.util.ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve(name).resolve("progress.csv")))
      out.add(l.substring(0, l.lastIndexOf(',')));
    Files.readAllLines(dir.resolve(name).resolve("checkpoint.json")).stream()
        .filter(l -> l.contains("params_sha256"))
        .forEach(out::add);
    return out;
  }

  @Test
  void trainsWithItsEnvironmentsOnAWorkerNodeAsItWouldLocally() throws Exception {
    try (EnvNode worker =
        EnvNode.start(
            ClusterSettings.load().withPort(0).withRoles(List.of(ClusterSettings.WORKER)))) {
      assertTrue(worker.awaitUp(1, Duration.ofSeconds(20)));
      String seed = "127.0.0.1:" + worker.address().getPort().get();
      Cli r = train("cluster2", "--cluster", "--seed-nodes", seed, "--workers", "1");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("waiting for 1 worker(s)"), r.out());
      assertTrue(
          r.out()
              .contains(
                  "cluster envs per node: {"
                      + worker.address()
                      + "=4}, episodes lost to faults: 0"),
          r.out());
      Cli r1 = train("cluster1", "--cluster", "--seed-nodes", seed, "--rollout-groups", "1");
      assertEquals(0, r1.code(), r1.err());
      // nobody joins a second worker: a one-line error after --worker-wait, nothing written
      Cli late =
          train("late", "--cluster", "--seed-nodes", seed, "--workers", "2", "--worker-wait", "2");
      assertEquals(1, late.code(), late.out());
      assertTrue(
          late.err().contains("--workers 2: not that many workers joined")
              && late.err().lines().count() == 1,
          late.err());
      assertTrue(Files.notExists(dir.resolve("late")));
    }
    // the same seed and rollout groups give the same run locally: 2 groups (the cluster's
    // default, pipelined there), and 1 group (the synchronous step, the local default)
    assertEquals(0, train("local2", "--rollout-groups", "2").code());
    assertEquals(0, train("local1").code());
    assertEquals(4, result("local2").size(), "header, 2 updates, the hash: " + result("local2"));
    assertEquals(result("local2"), result("cluster2"));
    assertEquals(result("local1"), result("cluster1"));
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
    String[][] badFlags = {
      {"--workers", "2"},
      {"--worker-wait", "5"},
      {"--cluster", "--seed-nodes", "127.0.0.1:2552", "--workers", "0"},
      {"--cluster", "--seed-nodes", "127.0.0.1:2552", "--worker-wait", "0"},
      {"--cluster", "--seed-nodes", "127.0.0.1:2552", "--worker-wait", "10000000000"},
      {"--cluster", "--seed-nodes", "127.0.0.1:2552", "--cluster-port", "70000"},
      {"--rollout-groups", "0"},
      {"--rollout-groups", "9", "--set", "algo.numEnvs=8"},
      {"--rollout-groups", "9", "--set", "algo.numEnvs=8", "--algo", "dqn"},
    };
    String[] expected = {
      "--workers: only with --cluster",
      "--worker-wait: only with --cluster",
      "--workers: expected >= 1, got 0",
      "--worker-wait: expected >= 1 (seconds), got 0",
      "--worker-wait: expected at most 604800 (seconds, a week), got 10000000000",
      "--cluster-port: expected 0..65535 (0: a free one), got 70000",
      "--rollout-groups: expected 1..",
      "--rollout-groups: expected 1..8 (algo.numEnvs), got 9",
      "--rollout-groups: expected 1..8 (algo.numEnvs), got 9",
    };
    for (int k = 0; k < badFlags.length; k++) {
      List<String> args =
          new java.util.ArrayList<>(List.of("train", "--steps", "10", "--out", out));
      args.addAll(List.of(badFlags[k]));
      Cli c = Cli.run(args.toArray(String[]::new));
      assertEquals(2, c.code(), String.join(" ", badFlags[k]) + ": " + c.err());
      assertTrue(c.err().contains(expected[k]) && c.err().lines().count() == 1, c.err());
    }
    assertTrue(Files.notExists(dir.resolve("x")));
  }
}
