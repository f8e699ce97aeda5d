package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) during {@code eval}: the command stops, writes the runs that finished, exits 130.
 */
class InterruptTest {
  @TempDir Path dir;

  @Test
  void sigintKeepsFinishedRuns() throws Exception {
    Path out = dir.resolve("ev");
    Process p =
        Cli.child(
                List.of(),
                "eval",
                "--policies",
                "fifo,shinjuku",
                "--workloads",
                "mmc",
                "--loads",
                "0.5,0.7,0.9",
                "--seeds",
                "1..10",
                "--tasks",
                "3000",
                "--jobs",
                "1",
                "--out",
                out.toString())
            .redirectOutput(dir.resolve("stdout").toFile())
            .start();
    BufferedReader err =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = err.readLine()) != null
        && !line.contains("] 1/60 runs")) {} // the first run finished
    assertTrue(line != null, "no progress line");
    new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
    Thread drain = new Thread(() -> err.lines().forEach(l -> {}));
    drain.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "eval did not stop");
    assertEquals(130, p.exitValue(), Files.readString(dir.resolve("stdout")));
    JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertTrue(json.get("interrupted").asBoolean());
    int done = json.get("runs_finished").asInt();
    assertTrue(done >= 1 && done < 60, "finished " + done);
    assertEquals(done + 1, Files.readAllLines(out.resolve("runs.csv")).size());
    assertTrue(
        Files.readString(dir.resolve("stdout")).contains("interrupted: " + done + " of 60 runs"));
  }
}
