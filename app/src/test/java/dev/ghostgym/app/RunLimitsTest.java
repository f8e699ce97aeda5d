package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs at the edges of the model end with a result that says what happened, never with a stack
 * trace or silently wrong numbers: a message queue that overflows, a machine whose queues grow
 * without bound, a clock pushed past 2^63 ns, responses longer than an hour.
 */
class RunLimitsTest {
  @TempDir Path dir;

  @Test
  void anOverflowingQueueStopsTheRunWithWhatGhostWouldDo() throws Exception {
    Path json = dir.resolve("r.json");
    Cli r =
        Cli.run(
            "simulate",
            "--cpus",
            "256",
            "--tasks",
            "40000",
            "--deployment",
            "plain",
            "--json",
            json.toString());
    assertEquals(1, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("message queue 0 overflowed at simulated t="), r.err());
    assertTrue(r.err().contains("enclave is destroyed"), r.err());
    assertTrue(r.out().contains("STOPPED before its end"), r.out());
    String report = Files.readString(json);
    assertTrue(report.contains("\"stopped\": \"message queue 0 overflowed"), report);
  }

  @Test
  void anUnstableRunIsStoppedBeforeItExhaustsMemory() {
    String old = System.getProperty("ghostgym.maxLiveTasks");
    System.setProperty("ghostgym.maxLiveTasks", "3000");
    try {
      Cli r =
          Cli.run(
              "simulate",
              "--workload",
              "mmc",
              "--set",
              "load=1.5",
              "--duration",
              "10s",
              "--deployment",
              "plain");
      assertEquals(1, r.code(), r.err());
      assertTrue(r.err().contains("unstable: 3,001 tasks in the system"), r.err());
      assertTrue(r.out().contains("STOPPED before its end"), r.out());
    } finally {
      if (old == null) System.clearProperty("ghostgym.maxLiveTasks");
      else System.setProperty("ghostgym.maxLiveTasks", old);
    }
  }

  @Test
  void aClockOverflowIsOneLine() {
    Cli r = Cli.run("simulate", "--set", "load=1e-13", "--tasks", "2000", "--deployment", "plain");
    assertEquals(1, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("simulated clock overflow"), r.err());
  }

  @Test
  void responsesLongerThanAnHourAreReportedAsTheyAre() {
    Cli r =
        Cli.run(
            "simulate",
            "--workload",
            "mmc",
            "--set",
            "service=const(7200s)",
            "--set",
            "load=0.01",
            "--tasks",
            "3",
            "--overheads",
            "none",
            "--deployment",
            "plain",
            "--json",
            "-");
    assertEquals(0, r.code(), r.err());
    double mean =
        Double.parseDouble(
            r.out()
                .replaceAll("(?s).*\"response_us\" : \\{[^}]*\"mean\" : ([0-9.E]+).*", "$1")
                .replaceAll("(?s).*\"response_us\": \\{[^}]*\"mean\": ([0-9.E]+).*", "$1"));
    assertTrue(mean >= 7200e6, "mean response " + mean + " us, expected at least two hours");
  }
}
