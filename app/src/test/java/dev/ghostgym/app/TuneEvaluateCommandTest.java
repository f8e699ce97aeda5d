package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuneEvaluateCommandTest {
  @TempDir Path dir;

  @Test
  void tuneRanksEverySettingByP99AndNamesTheBest() throws Exception {
    Path json = dir.resolve("tune.json");
    Cli r =
        Cli.run(
            "tune",
            "--tasks",
            "400",
            "--seeds",
            "1",
            "--cpus",
            "2",
            "--set",
            "load=0.7",
            "--json",
            json.toString());
    assertEquals(0, r.code(), r.err());
    List<Double> p99 =
        r.out()
            .lines()
            .filter(l -> l.contains(" p99 "))
            .map(l -> Double.parseDouble(l.replaceAll(".* p99 +([0-9.]+) us.*", "$1")))
            .toList();
    int grid = TuneCommand.GRID.values().stream().mapToInt(List::size).sum();
    assertEquals(grid, p99.size(), r.out());
    for (int i = 1; i < p99.size(); i++)
      assertTrue(p99.get(i) >= p99.get(i - 1), "ranked by p99: " + p99);
    assertTrue(
        r.out()
            .lines()
            .filter(l -> l.contains(" p99 "))
            .findFirst()
            .orElseThrow()
            .endsWith("<- best"),
        r.out());
    assertTrue(r.out().contains("best tuned non-oracle heuristic: "), r.out());
    String text = Files.readString(json);
    assertTrue(text.contains("\"best\": {") && text.contains("\"p99_us\""), text);
  }

  @Test
  void evaluateWritesOneRowPerCellWithConfidenceIntervals() throws Exception {
    Path md = dir.resolve("t.md");
    Cli r =
        Cli.run(
            "evaluate",
            "--policies",
            "las@quantum=20us,srpt",
            "--workloads",
            "mmc",
            "--loads",
            "0.5,0.7",
            "--seeds",
            "3",
            "--tasks",
            "300",
            "--cpus",
            "2",
            "--markdown",
            md.toString());
    assertEquals(0, r.code(), r.err());
    List<String> rows = Files.readAllLines(md).stream().filter(l -> l.startsWith("| mmc")).toList();
    assertEquals(4, rows.size(), String.join("\n", rows));
    assertTrue(
        rows.stream().allMatch(l -> l.contains(" ± ") && l.contains("50 ns")),
        String.join("\n", rows));
    assertEquals(2, Cli.run("evaluate", "--policies", "las@quantum", "--tasks", "10").code());
  }
}
