package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ghostgym.app.eval.CellWorker;
import dev.ghostgym.cluster.ClusterSettings;
import dev.ghostgym.cluster.EnvNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval --cluster} against a worker node in this JVM writes the same runs as a local {@code
 * eval}, and its options are checked before anything starts.
 */
class EvalOnClusterTest {
  @TempDir Path dir;

  private static List<String> matrix(Path out) {
    return new ArrayList<>(
        List.of(
            "eval",
            "--policies",
            "fifo,rr",
            "--workloads",
            "mmc",
            "--cpus",
            "2",
            "--loads",
            "0.5,0.8",
            "--seeds",
            "1..2",
            "--tasks",
            "300",
            "--out",
            out.toString()));
  }

  @Test
  void theClusterWritesTheSameRunsAsALocalEval() throws Exception {
    Path local = dir.resolve("local");
    Cli l = Cli.run(matrix(local).toArray(String[]::new));
    assertEquals(0, l.code(), l.err());
    try (EnvNode worker =
        EnvNode.start(
            ClusterSettings.load().withPort(0).withRoles(List.of(ClusterSettings.WORKER)))) {
      CellWorker.start(worker.system(), 2);
      assertTrue(worker.awaitUp(1, Duration.ofSeconds(20)));
      Path remote = dir.resolve("remote");
      List<String> args = matrix(remote);
      args.addAll(
          List.of("--cluster", "--seed-nodes", "127.0.0.1:" + worker.address().getPort().get()));
      Cli r = Cli.run(args.toArray(String[]::new));
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("on the cluster's workers"), r.out());
      assertTrue(
          r.out().contains("runs per worker {" + worker.address() + "=8}, runs started again"),
          r.out());
      assertTrue(r.err().contains("8/8 runs"), r.err());
      assertEquals(
          Files.readString(local.resolve("runs.csv")),
          Files.readString(remote.resolve("runs.csv")));
      assertEquals(
          Files.readString(local.resolve("summary.csv")),
          Files.readString(remote.resolve("summary.csv")));
      JsonNode json = new ObjectMapper().readTree(remote.resolve("results.json").toFile());
      assertEquals(
          8, json.get("cluster").get("runs_per_node").get(worker.address().toString()).asInt());
      assertEquals(0, json.get("cluster").get("reruns").asInt());
    }
  }

  @Test
  void clusterOptionsAreCheckedBeforeAnythingStarts() {
    Path out = dir.resolve("x");
    String[][] bad = {
      {"--seed-nodes", "127.0.0.1:2552"},
      {"--workers", "2"},
      {"--worker-wait", "5"},
      {"--cluster"},
      {"--cluster", "--seed-nodes", "localhost"},
      {"--cluster", "--seed-nodes", "127.0.0.1:2552", "--jobs", "2"},
      {"--cluster", "--seed-nodes", "127.0.0.1:2552", "--workers", "0"},
      {"--cluster", "--seed-nodes", "127.0.0.1:2552", "--worker-wait", "0"},
      {"--cluster", "--seed-nodes", "127.0.0.1:2552", "--worker-wait", "10000000000"},
      {"--cluster", "--seed-nodes", "127.0.0.1:2552", "--cluster-port", "-1"},
    };
    String[] expected = {
      "--seed-nodes: only with --cluster",
      "--workers: only with --cluster",
      "--worker-wait: only with --cluster",
      "--seed-nodes: required with --cluster",
      "--seed-nodes: expected HOST:PORT, got 'localhost'",
      "--jobs: not with --cluster",
      "--workers: expected >= 1, got 0",
      "--worker-wait: expected >= 1, got 0",
      "--worker-wait: expected at most 604800 (seconds, a week), got 10000000000",
      "--cluster-port: expected 0..65535 (0: a free one), got -1",
    };
    for (int i = 0; i < bad.length; i++) {
      List<String> args = matrix(out);
      args.addAll(List.of(bad[i]));
      Cli r = Cli.run(args.toArray(String[]::new));
      assertEquals(2, r.code(), String.join(" ", bad[i]));
      assertTrue(r.err().contains(expected[i]), r.err());
      assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
      assertTrue(Files.notExists(out), "nothing written");
    }
  }
}
