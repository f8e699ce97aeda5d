package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ghostgym.app.eval.Cell;
import dev.ghostgym.app.eval.Matrix;
import dev.ghostgym.app.eval.Metric;
import dev.ghostgym.app.eval.RunOutcome;
import dev.ghostgym.app.eval.Runs;
import dev.ghostgym.app.io.Interrupt;
import dev.ghostgym.app.io.Progress;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
  @TempDir Path dir;

  @Test
  void matrixWritesOneRowPerGroupWithTheSameNumbersAsSingleRuns() throws Exception {
    Path out = dir.resolve("ev");
    Path md = dir.resolve("RESULTS.md");
    Cli r =
        Cli.run(
            "eval",
            "--policies",
            "fifo,srpt",
            "--workloads",
            "mmc",
            "--cpus",
            "2",
            "--loads",
            "0.6",
            "--seeds",
            "1..2",
            "--tasks",
            "300",
            "--jobs",
            "2",
            "--out",
            out.toString(),
            "--results-md",
            md.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("srpt*") && r.out().contains("oracle"), r.out());
    JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertEquals(4, json.get("runs_finished").asInt());
    assertEquals(2, json.get("results").size());
    // a run in the matrix is the same deterministic simulation as a run alone
    RunOutcome alone = Runs.run(new Cell("mmc", 2, "fifo", 0.6, 2), 300);
    JsonNode fifo = json.get("results").get(0);
    assertEquals("fifo", fifo.get("policy").asText());
    assertEquals(
        alone.get(Metric.RESPONSE_MEAN),
        fifo.get("metrics").get("response_mean_us").get("per_seed").get(1).asDouble(),
        1e-3);
    List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
    assertEquals(3, csv.size());
    assertTrue(
        csv.get(0)
            .startsWith(
                "workload,cpus,load,policy,oracle,seeds,response_mean_us,response_mean_us_ci95"));
    assertTrue(csv.get(2).startsWith("mmc,2,0.60,srpt,true,2,"), csv.get(2));
    assertEquals(5, Files.readAllLines(out.resolve("runs.csv")).size());
    String page = Files.readString(md);
    assertTrue(
        page.startsWith("# Results")
            && page.contains("./ghost-gym eval --policies fifo,srpt --workloads mmc")
            && page.contains("| mmc | 2 | 0.60 | srpt* |"),
        page);
  }

  @Test
  void badInputIsOneLineAndExitTwoBeforeAnythingIsWritten() {
    Path out = dir.resolve("none");
    for (String[] args :
        List.of(
            new String[] {"--loads", "0"},
            new String[] {"--loads", "x"},
            new String[] {"--seeds", "5..1"},
            new String[] {"--policies", "nope"},
            new String[] {"--workloads", "nope"},
            new String[] {"--tasks", "0"},
            new String[] {"--cpus", "0"},
            new String[] {"--policies", "model:/no/such/dir"})) {
      String[] full = new String[args.length + 2];
      System.arraycopy(args, 0, full, 0, args.length);
      full[args.length] = "--out";
      full[args.length + 1] = out.toString();
      Cli r = Cli.run(prepend("eval", full));
      assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertFalse(Files.exists(out), String.join(" ", args));
    }
  }

  @Test
  void anInterruptStopsNewRunsAndKeepsFinishedOnes() {
    List<Cell> cells =
        Matrix.cells(
            List.of("mmc"), List.of(1), List.of("fifo"), List.of(0.5), List.of(1L, 2L, 3L));
    try (Interrupt stop = Interrupt.install(System.err)) {
      stop.request();
      List<RunOutcome> none =
          Matrix.run(
              cells,
              50,
              1,
              new Progress(new PrintStream(PrintStream.nullOutputStream()), "runs", 3),
              stop);
      assertEquals(0, none.size());
    }
  }

  private static String[] prepend(String a, String[] rest) {
    String[] r = new String[rest.length + 1];
    r[0] = a;
    System.arraycopy(rest, 0, r, 1, rest.length);
    return r;
  }
}
