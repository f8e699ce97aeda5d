package dev.ghostgym.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random and mutated input to the two readers of user text in this module, the distribution grammar
 * and the HOCON workload reader: each input gives a usable value or a {@link ConfigError} with one
 * line, never another exception. The tries and the share of valid inputs are printed by jqwik's
 * statistics after each property.
 */
class ReaderPropertiesTest {
  private static Path dir;

  @BeforeContainer
  static void makeDir() throws IOException {
    dir = Files.createTempDirectory("ghostgym-props");
    Files.writeString(dir.resolve("samples.txt"), "10us\n20us # comment\n\n1ms\n");
    Files.writeString(dir.resolve("bad.txt"), "10us\nbanana\n");
  }

  @AfterContainer
  static void removeDir() throws IOException {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The distribution grammar

  @Property(tries = 3000)
  void distributionTextParsesOrFailsCleanly(@ForAll("distributions") String text) {
    String outcome;
    try {
      Dist d = Dists.parse(text, "service", dir);
      SplittableRandom rng = new SplittableRandom(1);
      for (int i = 0; i < 20; i++)
        assertTrue(d.sample(rng) >= 0, text + " sampled a negative duration");
      assertTrue(!Double.isNaN(d.mean()), text + ": NaN mean");
      outcome = "valid";
    } catch (ConfigError e) {
      assertTrue(
          e.getMessage().contains("service"), "the error names the field: " + e.getMessage());
      outcome = "ConfigError";
    }
    Statistics.label("outcome").collect(outcome);
  }

  @Provide
  Arbitrary<String> distributions() {
    return Arbitraries.frequencyOf(
        Tuple(5, dist(3)),
        Tuple(3, dist(3).flatMap(ReaderPropertiesTest::mutated)),
        Tuple(1, Arbitraries.strings().ofMaxLength(40)),
        Tuple(
            1,
            Arbitraries.strings()
                .withChars("()+-.,:0123456789eusmnxpcotadlfrihgw ")
                .ofMaxLength(30)));
  }

  private static net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends String>> Tuple(
      int w, Arbitrary<String> a) {
    return net.jqwik.api.Tuple.of(w, a);
  }

  private static Arbitrary<String> duration() {
    Arbitrary<String> number =
        Arbitraries.oneOf(
            Arbitraries.integers().between(-5, 100000).map(String::valueOf),
            Arbitraries.doubles().between(-1, 1e6).map(d -> String.valueOf(d)),
            Arbitraries.of("0", "1e308", "9223372036854775807", "NaN", "Infinity", "1e-13", ""));
    return Combinators.combine(number, Arbitraries.of("ns", "us", "ms", "s", "", "min", "h", "x"))
        .as((n, u) -> n + u);
  }

  private static Arbitrary<String> dist(int depth) {
    Arbitrary<String> p = Arbitraries.of("0", "0.5", "1", "0.25", "-0.1", "2", "0.999");
    Arbitrary<String> leaf =
        Arbitraries.oneOf(
            duration(),
            duration().map(d -> "const(" + d + ")"),
            duration().map(d -> "exp(" + d + ")"),
            Combinators.combine(duration(), duration())
                .as((a, b) -> "uniform(" + a + "," + b + ")"),
            Combinators.combine(duration(), Arbitraries.of("0", "0.5", "1", "3", "-1", "1e9"))
                .as((a, b) -> "lognormal(" + a + "," + b + ")"),
            Arbitraries.of(
                "empirical(samples.txt)",
                "empirical(bad.txt)",
                "empirical(missing.txt)",
                "empirical()",
                "empirical(/dev/zero)",
                "empirical(/)",
                "empirical(" + "x".repeat(300) + ")"));
    if (depth == 0) return leaf;
    Arbitrary<String> sub = Arbitraries.lazy(() -> dist(depth - 1));
    return Arbitraries.oneOf(
        leaf,
        Combinators.combine(duration(), sub).as((x, d) -> "shift(" + x + "," + d + ")"),
        Combinators.combine(p, sub, p, sub)
            .as((p1, d1, p2, d2) -> "mix(" + p1 + ":" + d1 + "," + p2 + ":" + d2 + ")"));
  }

  /**
   * The text with one to three random edits: a character deleted, replaced or inserted, or a cut.
   */
  static Arbitrary<String> mutated(String s) {
    return Arbitraries.integers()
        .between(1, 3)
        .flatMap(
            n ->
                Arbitraries.longs()
                    .map(
                        seed -> {
                          SplittableRandom r = new SplittableRandom(seed);
                          StringBuilder b = new StringBuilder(s);
                          String alphabet =
                              "()[]{},:=.#\"'\\$ \n\t0123456789abcdefghijklmnopqrstuvwxyz-+\u00e9\u0000";
                          for (int i = 0; i < n; i++) {
                            int at = b.length() == 0 ? 0 : r.nextInt(b.length() + 1);
                            switch (r.nextInt(4)) {
                              case 0 -> {
                                if (at < b.length()) b.deleteCharAt(at);
                              }
                              case 1 -> {
                                if (at < b.length())
                                  b.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                              }
                              case 2 -> b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                              default -> b.setLength(Math.min(b.length(), at));
                            }
                          }
                          return b.toString();
                        }));
  }

  // ---------------------------------------------------------------------------------------------
  // The HOCON workload reader

  @Property(tries = 600)
  void workloadFileLoadsOrFailsCleanly(
      @ForAll("workloadTexts") String text, @ForAll("overrides") Map<String, String> set) {
    Path file = dir.resolve("w.conf");
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String outcome;
    try {
      Workload w = Workloads.load(file.toString(), set, 4);
      assertTrue(!w.sources().isEmpty(), "a workload without sources loaded");
      outcome = "valid";
    } catch (ConfigError e) {
      assertTrue(e.getMessage().lines().count() == 1, "one line: " + e.getMessage());
      outcome = "ConfigError";
    }
    Statistics.label("outcome").collect(outcome);
  }

  @Provide
  Arbitrary<String> workloadTexts() {
    List<String> texts =
        Workloads.BUILTINS.stream().map(ReaderPropertiesTest::builtinText).toList();
    Arbitrary<String> base = Arbitraries.of(texts);
    return Arbitraries.frequencyOf(
        Tuple(1, base),
        Tuple(6, base.flatMap(ReaderPropertiesTest::mutated)),
        Tuple(2, base.flatMap(ReaderPropertiesTest::lineMutated)));
  }

  @Provide
  Arbitrary<Map<String, String>> overrides() {
    return Arbitraries.oneOf(
        Arbitraries.just(Map.of()),
        Combinators.combine(
                Arbitraries.of("load", "service", "nosuch", "sources", "description"),
                Arbitraries.of("0.5", "2", "-1", "exp(1ms)", "banana", "1e-13", "", "${load}"))
            .as(Map::of));
  }

  /** A built-in with a whole line deleted, duplicated or its value replaced. */
  static Arbitrary<String> lineMutated(String s) {
    return Arbitraries.longs()
        .map(
            seed -> {
              SplittableRandom r = new SplittableRandom(seed);
              List<String> lines = new java.util.ArrayList<>(s.lines().toList());
              if (lines.isEmpty()) return s;
              int i = r.nextInt(lines.size());
              String[] values = {
                "-1",
                "0",
                "1e400",
                "\"\"",
                "[]",
                "{}",
                "null",
                "true",
                "\"exp(-1ms)\"",
                "${nosuch}",
                "99999999999"
              };
              switch (r.nextInt(3)) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(i, lines.get(i));
                default -> {
                  String l = lines.get(i);
                  int eq = l.indexOf('=');
                  if (eq >= 0)
                    lines.set(i, l.substring(0, eq + 1) + " " + values[r.nextInt(values.length)]);
                }
              }
              return String.join("\n", lines);
            });
  }

  private static String builtinText(String name) {
    try (var in = Workloads.class.getResourceAsStream("/workloads/" + name + ".conf")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
