package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  @TempDir Path dir;

  @Test
  void trainWritesACheckpointThatSimulateRunsAsModelPolicy() throws Exception {
    Path out = dir.resolve("ppo");
    int code =
        Main.run(
            "train",
            "--workload",
            "mmc",
            "--cpus",
            "2",
            "--algo",
            "ppo",
            "--steps",
            "1024",
            "--seed",
            "3",
            "--out",
            out.toString(),
            "--set",
            "tasks=200",
            "--set",
            "slice=100us",
            "--set",
            "algo.numSteps=128",
            "--eval-seeds",
            "1");
    assertEquals(0, code);
    assertTrue(
        Files.exists(out.resolve("checkpoint.json"))
            && Files.exists(out.resolve("progress.csv"))
            && Files.exists(out.resolve("curve.png")));
    // the run is kept unless --force replaces it, which leaves nothing of the old run behind
    byte[] params = Files.readAllBytes(out.resolve("model.params"));
    assertEquals(
        2,
        Main.run(
            "train",
            "--workload",
            "mmc",
            "--cpus",
            "2",
            "--steps",
            "256",
            "--out",
            out.toString()));
    assertTrue(java.util.Arrays.equals(params, Files.readAllBytes(out.resolve("model.params"))));
    Path other = out.resolve("notes.txt");
    Files.writeString(other, "mine");
    assertEquals(
        0,
        Main.run(
            "train",
            "--workload",
            "mmc",
            "--cpus",
            "2",
            "--algo",
            "ppo",
            "--steps",
            "256",
            "--seed",
            "4",
            "--out",
            out.toString(),
            "--set",
            "tasks=200",
            "--set",
            "slice=100us",
            "--set",
            "algo.numSteps=64",
            "--eval-seeds",
            "1",
            "--force"));
    assertEquals(
        2,
        Files.readAllLines(out.resolve("progress.csv")).size(),
        "header and the new run's one update");
    assertTrue(Files.readString(out.resolve("checkpoint.json")).contains("\"seed\" : 4"));
    assertEquals("mine", Files.readString(other));
    Path json = dir.resolve("run.json");
    assertEquals(
        0,
        Main.run(
            "simulate",
            "--workload",
            "mmc",
            "--cpus",
            "2",
            "--tasks",
            "300",
            "--policy",
            "model:" + out,
            "--json",
            json.toString()));
    String report = Files.readString(json).replace(" ", "");
    assertTrue(report.contains("\"policy\":\"model:" + out + "\""), report);
    assertTrue(report.contains("\"tasks_completed\":300"), report);
    // Train exported the model and measured its decision cost; simulate charges it by default.
    assertTrue(Files.exists(out.resolve("actor.json")) && Files.exists(out.resolve("tree.json")));
    Matcher m = Pattern.compile("\"decision_cost_ns\":(\\d+)").matcher(report);
    assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, report);
    assertTrue(report.contains("\"decision_cost\":\"calibrated"), report);
    Cli free =
        Cli.run(
            "simulate",
            "--workload",
            "mmc",
            "--cpus",
            "2",
            "--tasks",
            "300",
            "--policy",
            "model:" + out,
            "--set",
            "policy.decision_cost=none",
            "--set",
            "policy.form=tree");
    assertEquals(0, free.code(), free.err());
    assertTrue(
        free.out().contains("decision cost charged: 0 ns per decision, none (explicit opt-out"),
        free.out());
    assertEquals(
        2,
        Cli.run(
                "simulate",
                "--policy",
                "model:" + out,
                "--set",
                "policy.form=onnx",
                "--tasks",
                "10")
            .code());
  }

  @Test
  void badInputIsExitTwoAndAMissingModelToo() {
    assertEquals(2, Main.run("train", "--algo", "a2c", "--steps", "10", "--out", dir.toString()));
    assertEquals(
        2, Main.run("train", "--steps", "10", "--out", dir.toString(), "--set", "algo.nope=1"));
    assertEquals(
        2, Main.run("simulate", "--policy", "model:" + dir.resolve("missing"), "--tasks", "10"));
  }

  @Test
  void aWarmStartTeacherThatDoesNotFitIsOneLineExitTwoBeforeAnythingIsWritten() {
    Path out = dir.resolve("ws");
    Cli unknown =
        Cli.run("train", "--steps", "10", "--out", out.toString(), "--warm-start", "nope");
    assertEquals(2, unknown.code());
    assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
    assertTrue(unknown.err().contains("--warm-start nope: policy: expected one of"), unknown.err());
    Cli slice =
        Cli.run(
            "train",
            "--steps",
            "10",
            "--out",
            out.toString(),
            "--set",
            "slice=5us",
            "--warm-start",
            "las@quantum=10us");
    assertEquals(2, slice.code());
    assertTrue(
        slice.err().contains("its slice is 10000 ns but the environment's is 5000 ns"),
        slice.err());
    Cli dqn =
        Cli.run(
            "train",
            "--algo",
            "dqn",
            "--steps",
            "10",
            "--out",
            out.toString(),
            "--warm-start",
            "las");
    assertEquals(2, dqn.code());
    assertTrue(dqn.err().contains("--warm-start: only with --algo ppo"), dqn.err());
    Cli blank = Cli.run("train", "--steps", "10", "--out", out.toString(), "--warm-start", " ");
    assertEquals(2, blank.code());
    assertTrue(blank.err().contains("--warm-start: expected a heuristic policy"), blank.err());
    assertTrue(!java.nio.file.Files.exists(out), "nothing written");
  }
}
