package dev.ghostgym.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducibilityTest {
  @TempDir Path dir;

  /** The CSV without the wall-clock column. */
  private List<String> curve(Path out) throws IOException {
    return Files.readAllLines(out.resolve(TrainLog.CSV)).stream()
        .map(l -> l.substring(0, l.lastIndexOf(',')))
        .toList();
  }

  @Test
  void sameSeedSameThreadsSameLearningCurve() throws IOException {
    Ppo.train(Tiny.ppo(), Tiny.spec(3, 1536, dir.resolve("a")));
    Ppo.train(Tiny.ppo(), Tiny.spec(3, 1536, dir.resolve("b")));
    Ppo.train(Tiny.ppo(), Tiny.spec(4, 1536, dir.resolve("c")));
    List<String> a = curve(dir.resolve("a"));
    assertEquals(4, a.size(), "header and 3 updates: " + a);
    assertEquals(a, curve(dir.resolve("b")));
    assertNotEquals(a, curve(dir.resolve("c")));
    assertEquals(
        Files.readString(dir.resolve("a").resolve(Checkpoint.META)),
        Files.readString(dir.resolve("b").resolve(Checkpoint.META)));
  }
}
