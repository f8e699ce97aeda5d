package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (a real SIGINT) while quickstart trains: the training stops after the PPO update in flight
 * with its checkpoint saved, the heuristic policies' finished runs are written with the report
 * saying training was interrupted, and the exit code is 130.
 */
class QuickstartInterruptTest {
  @TempDir Path dir;

  @Test
  void sigintDuringTrainingStopsItAndKeepsTheFinishedRuns() throws Exception {
    Path out = dir.resolve("qs");
    long steps = 10_000_000; // far more than can finish before the signal
    Process p =
        Cli.child(
                List.of(),
                "quickstart",
                "--quick",
                "--train-steps",
                String.valueOf(steps),
                "--out",
                out.toString())
            .redirectError(dir.resolve("stderr").toFile())
            .start();
    BufferedReader stdout =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    String line;
    // training has started once PPO logs its first update
    boolean started = false;
    while ((line = stdout.readLine()) != null) {
      lines.add(line);
      if (line.startsWith("2/4 training")) started = true;
      else if (started && line.contains("steps/s")) break;
    }
    assertTrue(line != null, "no training progress: " + lines);
    new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
    Thread drain = new Thread(() -> stdout.lines().forEach(lines::add));
    drain.start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "quickstart did not stop: " + lines);
    drain.join();
    assertEquals(130, p.exitValue(), lines + Files.readString(dir.resolve("stderr")));

    String printed = String.join("\n", lines);
    assertTrue(printed.contains("training interrupted at step"), printed);
    assertFalse(printed.contains("3/4 evaluating the learned policy"), printed);
    JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertTrue(json.get("interrupted").asBoolean());
    JsonNode training = json.get("training");
    assertTrue(training.get("interrupted").asBoolean(), training.toString());
    long at = training.get("steps").asLong();
    assertTrue(at > 0 && at < steps, "stopped at step " + at);
    // the checkpoint is at that step, and every heuristic run (6 policies x 2 loads x 2 seeds)
    JsonNode checkpoint =
        new ObjectMapper().readTree(out.resolve("model/checkpoint.json").toFile());
    assertEquals(at, checkpoint.get("steps").asLong(), checkpoint.toString());
    assertEquals(24, json.get("runs_finished").asInt());
    assertEquals(25, Files.readAllLines(out.resolve("runs.csv")).size());
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("Interrupted during training (checkpoint saved at step " + at), html);
  }
}
