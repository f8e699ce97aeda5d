package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command-line contract, command by command: a bad value of an option, a missing, unreadable,
 * unwritable or special file (a directory, /dev/null, /dev/full, /proc) is exit 2 with exactly one
 * line on stderr that names the option, and nothing in the sandbox is created or changed (an
 * existing run included). The process-level behaviours (signals, kills) are in {@link KillTest}.
 */
class CliContractTest {
  @TempDir static Path box;
  static Path run;
  static Path episode;

  @BeforeAll
  static void sandbox() throws IOException {
    run = Files.createDirectories(box.resolve("run"));
    Files.writeString(run.resolve("progress.csv"), "step,episode_return\n1024,-3.5\n");
    Files.writeString(run.resolve("checkpoint.json"), "{\"algo\":\"ppo\"}");
    Files.createDirectories(box.resolve("emptydir"));
    episode = box.resolve("episode-1.json");
    Files.writeString(
        episode,
        "{\"env\":\"ghost/PickNext-v0\",\"options\":{},\"options_sha256\":\"x\",\"seed\":1,\"actions\":[0,1");
    Files.writeString(box.resolve("existing.json"), "keep me");
    Files.writeString(
        box.resolve("endless.conf"),
        "sources { spin { arrival { type = pool, workers = 2 }\n"
            + "  program = [ { loop = forever, do = [ { run = 10us } ] } ] } }\n");
  }

  static Stream<Arguments> cases() {
    String b = box.toString(), r = run.toString(), e = box.resolve("emptydir").toString();
    List<Case> c = new ArrayList<>();
    // simulate
    c.add(of("--cpus", "simulate", "--cpus", "0"));
    c.add(of("--cpus", "simulate", "--cpus", "100000"));
    c.add(of("--cpus", "simulate", "--cpus", "many"));
    c.add(of("--tasks", "simulate", "--tasks", "0"));
    c.add(of("--seed", "simulate", "--seed", "abc"));
    c.add(of("--duration", "simulate", "--duration", "banana"));
    c.add(of("--duration", "simulate", "--duration", "0"));
    c.add(of("--duration", "simulate", "--duration", "-1s"));
    c.add(of("--overheads", "simulate", "--overheads", "some"));
    c.add(of("--policy", "simulate", "--policy", "nosuch"));
    c.add(of("--policy", "simulate", "--policy", "model:" + b + "/missing"));
    c.add(of("--policy", "simulate", "--policy", "model:" + r));
    c.add(of("--deployment", "simulate", "--deployment", "threads"));
    c.add(of("--set", "simulate", "--set", "noequals"));
    c.add(of("--set", "simulate", "--set", "nosuch=1"));
    c.add(of("--set", "simulate", "--set", "load=banana"));
    c.add(of("--set", "simulate", "--set", "service=empirical(/dev/zero)"));
    c.add(of("--set", "simulate", "--set", "service=empirical(" + b + ")"));
    c.add(of("workload", "simulate", "--workload", "nosuch"));
    c.add(of("workload", "simulate", "--workload", e));
    c.add(of("workload", "simulate", "--workload", b + "/missing.conf"));
    c.add(of("--json", "simulate", "--json", e));
    c.add(of("--json", "simulate", "--json", b + "/missing/r.json"));
    c.add(of("--json", "simulate", "--json", "/proc/r.json"));
    c.add(of("--json", "simulate", "--json", ""));
    c.add(
        of("--json", "simulate", "--json", b + "/existing.json", "--cpus", "0")
            .replacing("--cpus"));
    c.add(of("--task-log", "simulate", "--task-log", e));
    c.add(of("--task-log", "simulate", "--task-log", b + "/missing/t.csv"));
    c.add(of("--task-log", "simulate", "--task-log", "/proc/t.csv"));
    c.add(of("--duration", "simulate", "--workload", b + "/endless.conf"));
    c.add(of("--nosuch", "simulate", "--nosuch"));
    c.add(of("--trace", "simulate", "--trace", e));
    c.add(of("--gantt", "simulate", "--gantt", b + "/missing/g"));
    // train
    c.add(of("--out", "train"));
    c.add(of("--steps", "train", "--out", b + "/t", "--steps", "0"));
    c.add(of("--cpus", "train", "--out", b + "/t", "--cpus", "0"));
    c.add(of("--eval-seeds", "train", "--out", b + "/t", "--eval-seeds", "0"));
    c.add(of("--eval-every", "train", "--out", b + "/t", "--eval-every", "-1"));
    c.add(of("--algo", "train", "--out", b + "/t", "--algo", "a2c"));
    c.add(of("--env", "train", "--out", b + "/t", "--env", "ghost/Nope-v0"));
    c.add(of("--env", "train", "--out", b + "/t", "--env", "ghost/SeedCompat-v0"));
    c.add(of("--env", "train", "--out", b + "/t", "--env", "ghost/Placement-v0"));
    c.add(of("algo", "train", "--out", b + "/t", "--set", "algo.nope=1"));
    c.add(of("--warm-start", "train", "--out", b + "/t", "--warm-start", "nope"));
    c.add(of("--warm-start", "train", "--out", b + "/t", "--warm-start", "las@quantum"));
    c.add(of("--warm-start", "train", "--out", b + "/t", "--warm-start", "srpt"));
    c.add(of("--warm-start", "train", "--out", b + "/t", "--algo", "dqn", "--warm-start", "las"));
    c.add(of("algo", "train", "--out", b + "/t", "--set", "algo.lr=-1"));
    c.add(of("--set", "train", "--out", b + "/t", "--set", "load=5"));
    c.add(of("--set", "train", "--out", r, "--set", "load=5"));
    c.add(of("--set", "train", "--out", b + "/t", "--set", "policy_fallback=nosuch"));
    c.add(of("--out", "train", "--out", r));
    c.add(of("--out", "train", "--out", b + "/existing.json"));
    c.add(of("--out", "train", "--out", b + "/missing/deeper"));
    c.add(of("--resume", "train", "--out", e, "--resume"));
    c.add(of("--resume", "train", "--out", b + "/t", "--resume"));
    c.add(of("--resume", "train", "--out", r, "--resume", "--force"));
    c.add(of("--resume", "train", "--out", r, "--resume"));
    // replay
    c.add(of("replay", "replay", b + "/missing.json"));
    c.add(of("replay", "replay", e));
    c.add(of("replay", "replay", "/dev/null"));
    c.add(of("replay", "replay", episode.toString()));
    c.add(of("replay", "replay", b + "/existing.json"));
    // check-env
    c.add(of("--steps", "check-env", "ghost/PickNext-v0", "--steps", "-1"));
    c.add(of("--set", "check-env", "ghost/PickNext-v0", "--set", "nosuch=1"));
    c.add(of("ID", "check-env", "ghost/Nope-v0"));
    c.add(of("--seed", "check-env", "ghost/PickNext-v0", "--seed", "x"));
    // others
    c.add(of("--abi", "abi-layout", "--abi", "7"));
    c.add(of("--metrics-port", "seed-bridge", "--metrics-port", "-1"));
    c.add(of("--cpus", "live", "--cpus", "x", "--", "true"));
    c.add(of("--json", "live", "--cpus", "1", "--json", e, "--", "true"));
    c.add(of("--json", "bench", "--seconds", "0.01", "--json", b + "/missing/b.json"));
    c.add(of("--json", "tune", "--json", b + "/missing/t.json"));
    c.add(of("--markdown", "evaluate", "--policies", "fifo", "--markdown", b + "/missing/t.md"));
    c.add(of("--results-md", "eval", "--out", b + "/ev", "--results-md", b + "/missing/R.md"));
    c.add(of("nosuch-command", "nosuch-command"));
    return c.stream().map(Case::args);
  }

  /** One row: the option the error must name, then the command line. */
  record Case(String option, String[] argv, boolean anyOption) {
    Arguments args() {
      return Arguments.of(option, argv, anyOption);
    }

    Case replacing(String o) {
      return new Case(o, argv, anyOption);
    }
  }

  private static Case of(String option, String... argv) {
    return new Case(option, argv, false);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("cases")
  void badInputIsOneLineExitTwoAndWritesNothing(String option, String[] argv, boolean anyOption)
      throws IOException {
    Map<String, String> before = snapshot();
    Cli r = Cli.run(argv);
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(2, r.code(), String.join(" ", argv) + "\nstderr: " + r.err());
    assertEquals(1, lines.size(), "one line on stderr: " + r.err());
    assertTrue(lines.get(0).startsWith("ghost-gym: "), lines.get(0));
    if (!anyOption)
      assertTrue(lines.get(0).contains(option), "names " + option + ": " + lines.get(0));
    assertEquals(before, snapshot(), "the sandbox changed");
  }

  /** Every path under the sandbox with a hash of its content. */
  private static Map<String, String> snapshot() throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(box)) {
      for (Path p : s.toList()) {
        m.put(
            box.relativize(p).toString(),
            Files.isRegularFile(p) ? sha(Files.readAllBytes(p)) : "dir");
      }
    }
    return m;
  }

  private static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
