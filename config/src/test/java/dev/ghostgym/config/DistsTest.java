package dev.ghostgym.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistsTest {
  private static final double US = 1_000;
  private static final double US2 = 1_000_000;

  private static Dist parse(String text) {
    return Dists.parse(text, "service", Path.of("."));
  }

  @Test
  void specsRoundTrip() {
    String[][] cases = {
      {"const(10us)", "const(10us)"},
      {" exp( 1ms ) ", "exp(1ms)"},
      {"uniform(1us, 1.5ms)", "uniform(1us,1.5ms)"},
      {"lognormal(100us, 0.5)", "lognormal(100us,0.5)"},
      {"mix(0.995:const(10us), 0.005:const(5ms))", "mix(0.995:const(10us),0.005:const(5ms))"},
      {
        "mix(0.5:mix(0.5:const(1us),0.5:exp(2us)),0.5:shift(1ms,exp(1us)))",
        "mix(0.5:mix(0.5:const(1us),0.5:exp(2us)),0.5:shift(1ms,exp(1us)))"
      },
      {"shift(10us, exp(1us))", "shift(10us,exp(1us))"},
      {"250us", "const(250us)"},
    };
    for (String[] c : cases) {
      Dist d = parse(c[0]);
      assertEquals(c[1], d.spec(), c[0]);
      assertEquals(d, parse(d.spec()), c[0]);
    }
  }

  @Test
  void exactMomentsOfEachForm() {
    assertEquals(10 * US, parse("const(10us)").mean());
    assertEquals(100 * US2, parse("const(10us)").secondMoment());
    assertEquals(1e6, parse("exp(1ms)").mean());
    assertEquals(2e12, parse("exp(1ms)").secondMoment());
    assertEquals(2 * US, parse("uniform(1us,3us)").mean());
    assertEquals((1 + 3 + 9) / 3.0 * US2, parse("uniform(1us,3us)").secondMoment(), 1e-6);
    Dist ln = parse("lognormal(100us,0.5)");
    assertEquals(100 * US * Math.exp(0.125), ln.mean(), 1e-9);
    assertEquals(1e10 * Math.exp(0.5), ln.secondMoment(), 1e-3);
    Dist shift = parse("shift(10us,exp(1us))");
    assertEquals(11 * US, shift.mean());
    assertEquals((100 + 2 * 10 + 2) * US2, shift.secondMoment(), 1e-6);
  }

  @Test
  void shinjukuMixHasTheScriptMoments() {
    Dist d = parse("mix(0.995:const(10us),0.005:const(5ms))");
    assertEquals(34.95 * US, d.mean(), 1e-9);
    assertEquals(125_099.5 * US2, d.secondMoment(), 1e-3);
    Dist paper = parse("mix(0.995:const(4us),0.005:const(10ms))");
    assertEquals(53.98 * US, paper.mean(), 1e-9);
    assertEquals(500_015.92 * US2, paper.secondMoment(), 1e-3);
  }

  @Test
  void sampleMeansConvergeWithinOnePercent() {
    String[] specs = {
      "exp(1ms)",
      "uniform(10us,90us)",
      "lognormal(100us,0.5)",
      "mix(0.5:exp(1ms),0.5:const(3ms))",
      "shift(10us,exp(1us))"
    };
    for (String spec : specs) {
      Dist d = parse(spec);
      SplittableRandom rng = new SplittableRandom(42);
      int n = 200_000;
      double sum = 0, sum2 = 0;
      for (int i = 0; i < n; i++) {
        long x = d.sample(rng);
        assertTrue(x >= 0, spec);
        sum += x;
        sum2 += (double) x * x;
      }
      assertEquals(d.mean(), sum / n, 0.01 * d.mean(), spec);
      assertEquals(d.secondMoment(), sum2 / n, 0.03 * d.secondMoment(), spec);
    }
  }

  @Test
  void sameSeedSameDraws() {
    for (String spec :
        new String[] {"exp(1ms)", "lognormal(1ms,1)", "mix(0.3:uniform(0ns,1ms),0.7:exp(5us))"}) {
      Dist d = parse(spec);
      SplittableRandom a = new SplittableRandom(7);
      SplittableRandom b = new SplittableRandom(7);
      long[] xs = new long[1000];
      long[] ys = new long[1000];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = d.sample(a);
        ys[i] = d.sample(b);
      }
      assertArrayEquals(xs, ys, spec);
    }
  }

  @Test
  void unknownFormListsTheGrammar() {
    ConfigError e =
        assertThrows(
            ConfigError.class, () -> Dists.parse("expo(1ms)", "sources.get.service", Path.of(".")));
    assertEquals("sources.get.service", e.path());
    assertTrue(
        e.getMessage()
            .startsWith(
                "sources.get.service: expected a distribution such as const(10us), exp(1ms), "
                    + "uniform(A,B), lognormal(MEDIAN,SIGMA), mix(P:D,...)"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("got 'expo(1ms)'"), e.getMessage());
  }

  @Test
  void eachMalformedFormNamesPathAndExpectation() {
    String[][] cases = {
      {"exp(10)", "unit ns/us/ms/s"},
      {"exp(-1ms)", "non-negative duration"},
      {"const()", "const(X) takes 1 argument"},
      {"exp(1ms,2ms)", "exp(MEAN) takes 1 argument"},
      {"uniform(2ms,1ms)", "uniform(A,B) needs A <= B"},
      {"uniform(1ms)", "uniform(A,B) takes 2 arguments"},
      {"lognormal(1ms,-1)", "SIGMA, a plain number >= 0"},
      {"lognormal(1ms,1ms)", "SIGMA, a plain number >= 0"},
      {"mix(0.5:const(1us),0.6:const(2us))", "mix weights must sum to 1; they sum to 1.1"},
      {"mix(-0.5:const(1us),1.5:const(2us))", "mix weights must be positive"},
      {"mix(const(1us))", "branches written P:D"},
      {"mix(1:expo(1us))", "got 'expo(1us)' in 'mix(1:expo(1us))'"},
      {"exp(1ms", "unbalanced parentheses"},
      {"shift(1us)", "shift(X,D) takes 2 arguments"},
      {"", "expected a distribution"},
      {"5", "expected a distribution"},
    };
    for (String[] c : cases) {
      ConfigError e =
          assertThrows(
              ConfigError.class, () -> Dists.parse(c[0], "sources.a.service", Path.of(".")), c[0]);
      assertTrue(e.getMessage().startsWith("sources.a.service: "), e.getMessage());
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void weightsMaySumToOneWithinTolerance() {
    Dist d = parse("mix(0.1:const(1us),0.2:const(2us),0.7:const(3us))");
    assertEquals(0.1 * 1000 + 0.2 * 2000 + 0.7 * 3000, d.mean(), 1e-9);
  }

  @Test
  void empiricalReadsAFileRelativeToBaseDir(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("times.txt"), "# measured GETs\n10us\n\n30us  # slow one\n2ms\n");
    Dist d = Dists.parse("empirical(times.txt)", "service", dir);
    Dists.Empirical e = assertInstanceOf(Dists.Empirical.class, d);
    assertEquals(List.of(10_000L, 30_000L, 2_000_000L), e.valuesNs());
    assertEquals((10_000 + 30_000 + 2_000_000) / 3.0, d.mean(), 1e-9);
    assertEquals((1e8 + 9e8 + 4e12) / 3, d.secondMoment(), 1e-3);
    assertEquals(d, Dists.parse(d.spec(), "service", Path.of("/")));
    SplittableRandom rng = new SplittableRandom(1);
    int[] seen = new int[3];
    for (int i = 0; i < 30_000; i++) seen[e.valuesNs().indexOf(d.sample(rng))]++;
    for (int count : seen) assertEquals(10_000, count, 400);
  }

  @Test
  void empiricalErrorsNameTheFileLine(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("bad.txt"), "10us\n20\n");
    ConfigError bad =
        assertThrows(ConfigError.class, () -> Dists.parse("empirical(bad.txt)", "service", dir));
    assertTrue(
        bad.getMessage().contains("bad.txt:2: expected a duration with a unit"), bad.getMessage());
    ConfigError missing =
        assertThrows(ConfigError.class, () -> Dists.parse("empirical(none.txt)", "service", dir));
    assertTrue(
        missing.getMessage().startsWith("service: cannot read empirical file"),
        missing.getMessage());
    Files.writeString(dir.resolve("empty.txt"), "# nothing\n");
    ConfigError empty =
        assertThrows(ConfigError.class, () -> Dists.parse("empirical(empty.txt)", "service", dir));
    assertTrue(empty.getMessage().contains("has no values"), empty.getMessage());
  }
}
