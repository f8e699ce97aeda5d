package dev.ghostgym.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent reader for the distribution grammar of {@link Dists}. It works on the raw text
 * (forms are {@code name(args)}, arguments split at top-level commas, mix branches at their first
 * top-level colon) so that nested forms need no escaping inside HOCON strings. Every error names
 * the HOCON path and quotes the part that failed.
 */
final class DistParser {
  static final String EXPECTED =
      "expected a distribution such as const(10us), exp(1ms), "
          + "uniform(A,B), lognormal(MEDIAN,SIGMA), mix(P:D,...), shift(X,D), empirical(FILE) "
          + "or a plain duration such as 10us";
  private static final double WEIGHT_TOLERANCE = 1e-9;

  private final String text;
  private final String path;
  private final Path baseDir;

  DistParser(String text, String path, Path baseDir) {
    this.text = text;
    this.path = path;
    this.baseDir = baseDir == null ? Path.of("") : baseDir;
  }

  Dist parse() {
    if (text == null || text.isBlank()) throw new ConfigError(path, EXPECTED + "; got nothing");
    return dist(text.trim());
  }

  private Dist dist(String s) {
    int open = s.indexOf('(');
    if (open < 0) return bareDuration(s);
    if (!s.endsWith(")") || !balanced(s.substring(open + 1, s.length() - 1))) {
      throw error("unbalanced parentheses in '" + s + "'");
    }
    String name = s.substring(0, open).trim();
    String inner = s.substring(open + 1, s.length() - 1);
    List<String> args = split(inner, ',');
    return switch (name) {
      case "const" -> new Dists.Const(duration(arity(args, 1, s, "const(X)").get(0), s));
      case "exp" -> new Dists.Exp(duration(arity(args, 1, s, "exp(MEAN)").get(0), s));
      case "uniform" -> uniform(arity(args, 2, s, "uniform(A,B)"), s);
      case "lognormal" -> lognormal(arity(args, 2, s, "lognormal(MEDIAN,SIGMA)"), s);
      case "shift" -> shift(arity(args, 2, s, "shift(X,D)"), s);
      case "mix" -> mix(args, s);
      case "empirical" -> empirical(arity(args, 1, s, "empirical(FILE)").get(0), s);
      default -> throw error(EXPECTED + "; got '" + s + "'" + within(s));
    };
  }

  private Dist bareDuration(String s) {
    try {
      return new Dists.Const(Durations.parseNanos(s, path));
    } catch (ConfigError e) {
      throw error(EXPECTED + "; got '" + s + "'" + within(s));
    }
  }

  private Dist uniform(List<String> args, String form) {
    long a = duration(args.get(0), form);
    long b = duration(args.get(1), form);
    if (b < a) throw error("uniform(A,B) needs A <= B; got '" + form + "'");
    return new Dists.Uniform(a, b);
  }

  private Dist lognormal(List<String> args, String form) {
    long median = duration(args.get(0), form);
    double sigma = number(args.get(1), form, "SIGMA, a plain number >= 0 and at most 5");
    if (!(sigma >= 0) || sigma > 5) {
      throw error(
          "lognormal(MEDIAN,SIGMA) needs SIGMA, a plain number >= 0 and at most 5; got '"
              + form
              + "'");
    }
    return new Dists.LogNormal(median, sigma);
  }

  private Dist shift(List<String> args, String form) {
    return new Dists.Shift(duration(args.get(0), form), dist(args.get(1).trim()));
  }

  private Dist mix(List<String> args, String form) {
    List<Dists.Component> parts = new ArrayList<>();
    double sum = 0;
    for (String arg : args) {
      List<String> pd = splitFirst(arg, ':');
      if (pd.size() != 2) {
        throw error(
            "mix(P1:D1,P2:D2,...) needs branches written P:D; got '"
                + arg.trim()
                + "' in '"
                + form
                + "'");
      }
      double p = number(pd.get(0), form, "a weight P > 0");
      if (!(p > 0) || Double.isInfinite(p)) {
        throw error(
            "mix weights must be positive numbers; got '"
                + pd.get(0).trim()
                + "' in '"
                + form
                + "'");
      }
      sum += p;
      parts.add(new Dists.Component(p, dist(pd.get(1).trim())));
    }
    if (Math.abs(sum - 1.0) > WEIGHT_TOLERANCE) {
      throw error(
          "mix weights must sum to 1; they sum to " + Dists.number(sum) + " in '" + form + "'");
    }
    return new Dists.Mix(parts);
  }

  /** 64 MiB: millions of samples, far more than an empirical distribution needs. */
  static final long MAX_EMPIRICAL_BYTES = 64L << 20;

  private Dist empirical(String arg, String form) {
    String name = unquote(arg.trim());
    if (name.isEmpty()) throw error("empirical(FILE) needs a file name; got '" + form + "'");
    Path file;
    try {
      file = Path.of(name);
    } catch (java.nio.file.InvalidPathException e) { // e.g. a NUL character: not a file name at all
      throw error(
          "empirical(FILE): '" + name + "' is not a valid file name (" + e.getReason() + ")");
    }
    if (!file.isAbsolute()) file = baseDir.resolve(file);
    file = file.toAbsolutePath().normalize();
    List<String> lines;
    // A regular file of bounded size: a device (/dev/zero) or a huge file would be read until the
    // heap runs out, half a minute later, instead of failing at once.
    if (!Files.isRegularFile(file)) {
      throw error(
          "cannot read empirical file '"
              + file
              + "': "
              + (Files.exists(file) ? "not a regular file" : "no such file")
              + "; expected a text file with one duration per line");
    }
    try {
      if (Files.size(file) > MAX_EMPIRICAL_BYTES) {
        throw error(
            "empirical file '"
                + file
                + "': "
                + Files.size(file)
                + " bytes; expected at most "
                + MAX_EMPIRICAL_BYTES
                + " (one duration per line)");
      }
      lines = Files.readAllLines(file);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw error("cannot read empirical file '" + file + "': " + e.getClass().getSimpleName());
    }
    List<Long> values = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String value = (hash >= 0 ? line.substring(0, hash) : line).trim();
      if (value.isEmpty()) continue;
      try {
        values.add(Durations.parseNanos(value, path));
      } catch (ConfigError e) {
        throw error("empirical file " + file + ":" + (i + 1) + ": " + e.problem());
      }
    }
    if (values.isEmpty())
      throw error("empirical file '" + file + "' has no values (one duration per line)");
    return new Dists.Empirical(file, values);
  }

  private List<String> arity(List<String> args, int n, String form, String usage) {
    if (args.size() != n || args.stream().anyMatch(String::isBlank)) {
      throw error(
          usage + " takes " + n + (n == 1 ? " argument" : " arguments") + "; got '" + form + "'");
    }
    return args;
  }

  private long duration(String arg, String form) {
    try {
      return Durations.parseNanos(arg.trim(), path);
    } catch (ConfigError e) {
      throw error("in '" + form + "': " + e.problem());
    }
  }

  private double number(String arg, String form, String what) {
    try {
      return Double.parseDouble(arg.trim());
    } catch (NumberFormatException e) {
      throw error("in '" + form + "': expected " + what + "; got '" + arg.trim() + "'");
    }
  }

  private String within(String part) {
    return part.equals(text.trim()) ? "" : " in '" + text.trim() + "'";
  }

  private ConfigError error(String problem) {
    return new ConfigError(path, problem);
  }

  private static String unquote(String s) {
    boolean quoted =
        s.length() >= 2
            && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"));
    return quoted ? s.substring(1, s.length() - 1) : s;
  }

  /** True if parentheses in {@code s} nest properly, so {@code a(b)c(d)} is not one form. */
  private static boolean balanced(String s) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') depth++;
      if (c == ')' && --depth < 0) return false;
    }
    return depth == 0;
  }

  /** Splits at every {@code sep} outside parentheses. */
  private static List<String> split(String s, char sep) {
    List<String> parts = new ArrayList<>();
    int depth = 0, start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') depth++;
      else if (c == ')') depth--;
      else if (c == sep && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }

  /**
   * Splits at the first {@code sep} outside parentheses (a branch's dist may hold a nested mix).
   */
  private static List<String> splitFirst(String s, char sep) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') depth++;
      else if (c == ')') depth--;
      else if (c == sep && depth == 0) return List.of(s.substring(0, i), s.substring(i + 1));
    }
    return List.of(s);
  }
}
