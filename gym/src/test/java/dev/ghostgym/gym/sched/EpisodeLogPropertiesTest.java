package dev.ghostgym.gym.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The episode-log reader on random, truncated and mutated logs: a complete log, or an {@link
 * IllegalArgumentException} with one line naming the file; never another exception, and never a log
 * with a field silently defaulted (a missing seed used to read as seed 0).
 */
class EpisodeLogPropertiesTest {
  private static final String VALID =
      """
      {
        "env" : "ghost/PickNext-v0",
        "options" : { "workload" : "mmc", "cpus" : 2, "tasks" : 50 },
        "options_sha256" : "0c6e",
        "seed" : 77,
        "actions" : [ 0, 1, 0, 2, 0, 0, 1 ],
        "return" : -12.5,
        "metrics" : { "trace_sha256" : "ab12", "response_mean_us" : 88.25 }
      }
      """;
  private static Path dir;

  @BeforeContainer
  static void makeDir() throws IOException {
    dir = Files.createTempDirectory("ghostgym-episode-props");
  }

  @AfterContainer
  static void removeDir() throws IOException {
    try (var s = Files.list(dir)) {
      s.forEach(p -> p.toFile().delete());
    }
    Files.deleteIfExists(dir);
  }

  @Property(tries = 2000)
  void episodeLogReadsOrFailsCleanly(@ForAll("logs") String text) {
    Path file = dir.resolve("episode-1.json");
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String outcome;
    try {
      EpisodeLog log = Replay.read(file);
      assertNotNull(log.env());
      assertNotNull(log.options());
      assertNotNull(log.actions());
      assertTrue(text.contains("\"seed\""), "a log without a seed was accepted");
      outcome = "valid";
    } catch (IllegalArgumentException e) {
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
      assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
      outcome = "IllegalArgumentException";
    }
    Statistics.label("outcome").collect(outcome);
  }

  @Provide
  Arbitrary<String> logs() {
    return Arbitraries.oneOf(
        Arbitraries.just(VALID),
        Arbitraries.integers()
            .between(0, VALID.length())
            .map(n -> VALID.substring(0, n)), // truncated
        Arbitraries.longs().map(EpisodeLogPropertiesTest::mutate),
        Arbitraries.of("seed", "env", "actions", "options", "return", "metrics", "options_sha256")
            .map(
                k -> VALID.replaceFirst("\\s*\"" + k + "\" : [^\\n]*\\n", "\n")), // a field dropped
        Arbitraries.of("null", "\"x\"", "[]", "{}", "1.5", "-1", "99999999999999999999", "true")
            .flatMap(
                v ->
                    Arbitraries.of("seed", "env", "actions", "options", "return", "metrics")
                        .map(
                            k ->
                                VALID.replaceFirst(
                                    "\"" + k + "\" : [^\\n]*?( ?,?)\\n",
                                    "\"" + k + "\" : " + v + "$1\n"))),
        Arbitraries.strings().ofMaxLength(60));
  }

  private static String mutate(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder(VALID);
    String alphabet = "{}[]\":,0123456789-.eE nultrfa\\\u0000";
    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
      int at = r.nextInt(b.length());
      switch (r.nextInt(3)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
        default -> b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
      }
    }
    return b.toString();
  }
}
