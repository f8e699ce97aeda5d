package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.learn.Checkpoint;
import dev.ghostgym.learn.LearnedPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract under signals, with a real child process: SIGINT and SIGKILL at random points of
 * {@code simulate --task-log --json} and of {@code train} leave every earlier file as it was and
 * every new file complete or absent, and a train stopped by SIGINT and resumed ends with the model
 * of the run that was never stopped. The random delays are printed (seeded from the clock, so that
 * runs explore different points; the seed is in the output to reproduce one).
 */
class KillTest {
  @TempDir Path dir;
  private static final long SEED = System.nanoTime();
  private final SplittableRandom random = new SplittableRandom(SEED);

  private static Process start(Path cwd, String... args) throws IOException {
    return Cli.child(List.of("-Xmx512m"), args)
        .directory(cwd.toFile())
        .redirectErrorStream(true)
        .start();
  }

  private static void signal(Process p, String sig) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor();
  }

  private static String drain(Process p) throws IOException, InterruptedException {
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void simulateInterruptedOrKilledLeavesOldFilesOrCompleteNewOnes() throws Exception {
    for (String sig : List.of("INT", "KILL", "INT")) {
      Path log = dir.resolve("tasks.csv"), json = dir.resolve("report.json");
      Files.writeString(log, "OLD LOG\n");
      Files.writeString(json, "OLD REPORT\n");
      long delayMs = 1000 + random.nextLong(2500);
      Process p =
          start(
              dir,
              "simulate",
              "--tasks",
              "300000",
              "--deployment",
              "plain",
              "--task-log",
              log.toString(),
              "--json",
              json.toString());
      Thread.sleep(delayMs);
      signal(p, sig);
      String out = drain(p);
      int code = p.exitValue();
      System.out.printf(
          "kill test (seed %d): simulate SIG%s after %d ms -> exit %d%n", SEED, sig, delayMs, code);
      String csv = Files.readString(log), report = Files.readString(json);
      if (code == 0) { // finished before the signal: both new and complete
        assertEquals(300_001, csv.lines().count());
        assertTrue(report.contains("\"tasks_completed\": 300000"), report);
        continue;
      }
      assertEquals(sig.equals("INT") ? 130 : 137, code, out);
      // The signal can land after the run finished and renamed its log into place (the JVM's exit
      // and the main thread race): then the new log is complete, which the contract allows.
      if (!csv.equals("OLD LOG\n")) {
        assertEquals(300_001, csv.lines().count(), "an interrupted run left a partial task log");
        continue;
      }
      assertEquals("OLD LOG\n", csv, "an interrupted run leaves the old task log");
      assertEquals("OLD REPORT\n", report);
      if (sig.equals("KILL")) { // nothing can run on SIGKILL: a .part file may stay, nothing else
        try (var left = Files.list(dir)) {
          for (Path f : left.toList()) {
            String n = f.getFileName().toString();
            if (n.equals("tasks.csv") || n.equals("report.json")) continue;
            assertTrue(
                n.startsWith(".tasks.csv.") && n.endsWith(".part"), "left after SIGKILL: " + n);
            Files.delete(f);
          }
        }
      }
      if (sig.equals("INT")) {
        // the one line, unless the signal came before the JVM reached main (then it says nothing)
        assertTrue(out.contains("ghost-gym: interrupted") || out.isBlank(), out);
        try (var s = Files.list(dir)) {
          assertEquals(
              List.of(),
              s.filter(f -> f.getFileName().toString().endsWith(".part")).toList(),
              "SIGINT deletes the temporary files");
        }
      }
    }
  }

  private static String[] train(Path out, long steps, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "train",
                "--workload",
                "mmc",
                "--cpus",
                "2",
                "--steps",
                Long.toString(steps),
                "--seed",
                "3",
                "--out",
                out.toString(),
                "--set",
                "tasks=200",
                "--set",
                "slice=100us",
                "--set",
                "overheads=none",
                "--set",
                "algo.numSteps=64",
                "--set",
                "algo.numEnvs=4",
                "--eval-seeds",
                "1",
                "--eval-every",
                "0"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void trainInterruptedThenResumedEqualsTheUninterruptedRun() throws Exception {
    Path a = dir.resolve("a"), b = dir.resolve("b");
    assertEquals(0, Main.run(train(a, 2048)));
    // A child stopped by SIGINT after a random number of progress lines.
    int lines = 1 + random.nextInt(4);
    Process p = start(dir, train(b, 2048));
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    for (int seen = 0; seen < lines; ) {
      String line = r.readLine();
      if (line == null) break;
      out.append(line).append('\n');
      if (line.startsWith("[")) seen++;
    }
    signal(p, "INT");
    out.append(drain(p));
    System.out.printf(
        "kill test (seed %d): train SIGINT after %d updates -> exit %d%n",
        SEED, lines, p.exitValue());
    assertEquals(130, p.exitValue(), out.toString());
    assertTrue(out.toString().contains("checkpoint saved at step"), out.toString());
    long saved = Checkpoint.read(b).steps();
    assertTrue(saved >= 256L * lines && saved < 2048, "saved at " + saved);
    assertEquals(
        saved,
        Files.readAllLines(b.resolve("progress.csv")).stream()
            .skip(1)
            .mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(','))))
            .max()
            .orElse(0));
    assertEquals(0, Main.run(train(b, 2048, "--resume")));
    assertArrayEquals(
        Files.readAllBytes(a.resolve(Checkpoint.PARAMS)),
        Files.readAllBytes(b.resolve(Checkpoint.PARAMS)),
        "resumed after SIGINT at step " + saved);

    // SIGKILL while continuing the finished run: what is on disk is always a usable checkpoint.
    long delayMs = 1500 + random.nextLong(4000);
    Process k = start(dir, train(b, 4096, "--resume"));
    Thread.sleep(delayMs);
    signal(k, "KILL");
    drain(k);
    System.out.printf(
        "kill test (seed %d): train SIGKILL after %d ms -> exit %d%n",
        SEED, delayMs, k.exitValue());
    Checkpoint c = Checkpoint.read(b);
    assertTrue(c.steps() >= 2048, "steps " + c.steps());
    try (LearnedPolicy policy = LearnedPolicy.load(b)) {
      assertEquals(c.steps(), policy.checkpoint().steps());
    }
    if (c.steps() < 4096)
      assertEquals(0, Main.run(train(b, 4096, "--resume")), "a killed run resumes");
  }
}
