package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ghostgym.app.trace.TraceEvents;
import dev.ghostgym.app.trace.proto.PerfettoTrace;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@code quickstart --quick} run, shared by the checks of its files, numbers and the browser
 * rendering.
 */
class QuickstartCommandTest {
  @TempDir static Path dir;
  static Path out;
  static Cli run;

  @BeforeAll
  static void quickstart() {
    out = dir.resolve("qs");
    run = Cli.run("quickstart", "--quick", "--out", out.toString());
  }

  @Test
  void writesTheReportResultsAndFigures() throws Exception {
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("report: " + out.resolve("report.html")), run.out());
    for (String f :
        List.of(
            "report.html",
            "results.json",
            "summary.csv",
            "runs.csv",
            "results.md",
            "trace.perfetto-trace",
            "model/checkpoint.json",
            "model/progress.csv")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    for (JsonNode name : json.get("figures")) {
      for (String ext : List.of(".png", ".svg"))
        assertTrue(Files.exists(out.resolve(name.asText() + ext)), name + ext);
      BufferedImage img = ImageIO.read(out.resolve(name.asText() + ".png").toFile());
      assertEquals(name.asText().startsWith("gantt-") ? 1200 : 900, img.getWidth(), name.asText());
      assertTrue(
          Files.readString(out.resolve(name.asText() + ".svg")).contains("<svg"), name.asText());
    }
    List<String> names = new ArrayList<>();
    json.get("figures").forEach(n -> names.add(n.asText()));
    assertTrue(
        names.contains("learning-curve")
            && names.stream().anyMatch(n -> n.startsWith("cdf-"))
            && names.stream().anyMatch(n -> n.startsWith("p99-vs-load-"))
            && names.contains("gantt-seed-single-exp")
            && names.contains("gantt-rocksdb-shinjuku"),
        names.toString());
    var trace =
        PerfettoTrace.Trace.parseFrom(Files.readAllBytes(out.resolve("trace.perfetto-trace")));
    TraceEvents.checkKernelShape(TraceEvents.perCpu(trace));
  }

  @Test
  void resultsHoldEveryPolicyAtEveryLoadWithSaneNumbers() throws Exception {
    JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertFalse(json.get("interrupted").asBoolean());
    assertEquals(
        24 + 4,
        json.get("runs_finished").asInt()); // 6 heuristics x 2 loads x 2 seeds + the learned one
    Map<String, JsonNode> byKey = new HashMap<>();
    for (JsonNode r : json.get("results")) {
      byKey.put(
          r.get("policy").asText().replaceFirst("model:.*", "model")
              + "@"
              + r.get("load").asDouble(),
          r);
      assertEquals(2, r.get("seeds").size());
      JsonNode m = r.get("metrics");
      double util = m.get("utilization").get("mean").asDouble();
      assertTrue(util > 0.2 && util <= 1.0, r.toString());
      double jain = m.get("jain_fairness").get("mean").asDouble();
      assertTrue(jain > 0 && jain <= 1.0, r.toString());
      JsonNode mean = m.get("response_mean_us");
      double a = mean.get("per_seed").get(0).asDouble(), b = mean.get("per_seed").get(1).asDouble();
      assertEquals((a + b) / 2, mean.get("mean").asDouble(), 1e-3);
      // Student t with one degree of freedom: 12.706 * sd / sqrt(2), sd = |a - b| / sqrt(2)
      assertEquals(
          12.706 * Math.abs(a - b) / 2,
          mean.get("ci95").asDouble(),
          1e-3 * Math.max(1, Math.abs(a - b)));
      assertTrue(
          m.get("response_p99_us").get("mean").asDouble()
              >= m.get("response_p50_us").get("mean").asDouble());
    }
    assertEquals(14, byKey.size(), byKey.keySet().toString());
    for (double load : List.of(0.5, 0.9)) {
      assertTrue(byKey.get("srpt@" + load).get("oracle").asBoolean());
      assertFalse(byKey.get("fifo@" + load).get("oracle").asBoolean());
      // the oracle bound: SRPT's mean response is below FIFO's on this heavy-tailed workload
      assertTrue(meanResponse(byKey.get("srpt@" + load)) < meanResponse(byKey.get("fifo@" + load)));
    }
    assertTrue(byKey.containsKey("model@0.9"));
  }

  @Test
  void secondRunRefusesToOverwriteWithoutForce() {
    Cli again = Cli.run("quickstart", "--quick", "--out", out.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("--out") && again.err().contains("--force"), again.err());
  }

  @Test
  void reportRendersInHeadlessChromiumWithEveryFigureLoaded() throws Exception {
    assertEquals(0, run.code(), run.err());
    HeadlessBrowser.Check c =
        HeadlessBrowser.check(out.resolve("report.html"), dir.resolve("chromium"));
    JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertEquals(json.get("figures").size(), c.images(), c.toString());
    assertEquals(c.images(), c.loaded(), c.toString());
    assertEquals(0, c.failed(), c.toString());
    assertTrue(c.tableRows() >= 14, c.toString());
  }

  private static double meanResponse(JsonNode row) {
    return row.get("metrics").get("response_mean_us").get("mean").asDouble();
  }
}
