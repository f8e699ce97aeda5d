package dev.ghostgym.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in workloads: a non-negative decimal number followed by a unit ({@code
 * 400ns}, {@code 10us}, {@code 1.5ms}, {@code 0.25s}), held as whole nanoseconds. The unit is
 * mandatory because a bare {@code 10} means milliseconds to Typesafe Config, microseconds to the
 * ghOSt scripts and nanoseconds to the kernel; guessing would silently scale a workload by 1000.
 */
public final class Durations {
  private static final String NUMBER = "(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?";
  private static final Pattern DURATION = Pattern.compile("(" + NUMBER + ")\\s*(ns|us|ms|s)");
  private static final Pattern BARE = Pattern.compile("[+-]?" + NUMBER);
  private static final String EXPECTED =
      "expected a duration with a unit ns/us/ms/s (e.g. 10us, 1.5ms)";

  private static final long US = 1_000L;
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  private Durations() {}

  /**
   * Parses {@code text} into nanoseconds, rounded to the nearest ns.
   *
   * @param path HOCON path of the value, used in the error
   * @throws ConfigError if the text is not a non-negative number with a unit
   */
  public static long parseNanos(String text, String path) {
    if (text == null) throw new ConfigError(path, EXPECTED + "; got nothing");
    String t = text.trim();
    if (t.startsWith("-")) {
      throw new ConfigError(path, "expected a non-negative duration; got '" + text + "'");
    }
    Matcher m = DURATION.matcher(t);
    if (!m.matches()) {
      String hint = BARE.matcher(t).matches() ? " (a bare number has no unit)" : "";
      throw new ConfigError(path, EXPECTED + "; got '" + text + "'" + hint);
    }
    try {
      BigDecimal ns = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit(m.group(2))));
      return ns.setScale(0, RoundingMode.HALF_UP).longValueExact();
    } catch (ArithmeticException | NumberFormatException tooLarge) {
      // NumberFormatException: an exponent beyond what BigDecimal holds, e.g. 92e33720368542775807
      throw new ConfigError(path, "duration too large (at most ~292 years); got '" + text + "'");
    }
  }

  /**
   * The shortest exact text for {@code ns} in the largest unit not above it ({@code 10us}, {@code
   * 5ms}, {@code 1.5ms}, {@code 400ns}); {@link #parseNanos} reads it back unchanged.
   */
  public static String format(long ns) {
    long abs = Math.abs(ns);
    long unit = abs >= S ? S : abs >= MS ? MS : abs >= US ? US : 1;
    String name = unit == S ? "s" : unit == MS ? "ms" : unit == US ? "us" : "ns";
    BigDecimal value = BigDecimal.valueOf(ns).divide(BigDecimal.valueOf(unit)).stripTrailingZeros();
    return value.toPlainString() + name;
  }

  private static long unit(String name) {
    return switch (name) {
      case "ns" -> 1;
      case "us" -> US;
      case "ms" -> MS;
      default -> S;
    };
  }
}
