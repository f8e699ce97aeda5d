package dev.ghostgym.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The distribution forms of the workload grammar, as records with exact moments, and the entry
 * point that parses their text. Every draw uses only the generator it is handed, so a seeded {@link
 * SplittableRandom} fixes every sample of a run; draws are rounded to whole nanoseconds and never
 * negative. The grammar (see {@code config/WORKLOADS.md}): {@code const(X)}, {@code exp(MEAN)},
 * {@code uniform(A,B)}, {@code lognormal(MEDIAN,SIGMA)}, {@code shift(X,D)}, {@code
 * mix(P1:D1,P2:D2,...)}, {@code empirical(FILE)}, and a plain duration {@code X} as shorthand for
 * {@code const(X)}.
 */
public final class Dists {
  private Dists() {}

  /**
   * Parses a distribution.
   *
   * @param text the grammar text, e.g. {@code mix(0.995:const(10us), 0.005:const(5ms))}
   * @param path HOCON path of the value, named in errors
   * @param baseDir directory that relative {@code empirical(FILE)} paths are resolved against
   * @throws ConfigError naming {@code path} and the expected form
   */
  public static Dist parse(String text, String path, Path baseDir) {
    return new DistParser(text, path, baseDir).parse();
  }

  /** Always {@code ns}. */
  public record Const(long ns) implements Dist {
    public Const {
      nonNegative(ns, "const");
    }

    public long sample(SplittableRandom rng) {
      return ns;
    }

    public double mean() {
      return ns;
    }

    public double secondMoment() {
      return (double) ns * ns;
    }

    public String spec() {
      return "const(" + Durations.format(ns) + ")";
    }
  }

  /** Exponential with mean {@code meanNs}; drawn by inversion, {@code -mean*ln(1-u)}. */
  public record Exp(long meanNs) implements Dist {
    public Exp {
      nonNegative(meanNs, "exp");
    }

    public long sample(SplittableRandom rng) {
      return Math.round(-meanNs * Math.log(1.0 - rng.nextDouble()));
    }

    public double mean() {
      return meanNs;
    }

    public double secondMoment() {
      return 2.0 * meanNs * meanNs;
    }

    public String spec() {
      return "exp(" + Durations.format(meanNs) + ")";
    }
  }

  /** Uniform on {@code [lowNs, highNs]}. */
  public record Uniform(long lowNs, long highNs) implements Dist {
    public Uniform {
      nonNegative(lowNs, "uniform");
      if (highNs < lowNs) throw new IllegalArgumentException("uniform needs low <= high");
    }

    public long sample(SplittableRandom rng) {
      return lowNs + Math.round(rng.nextDouble() * (highNs - lowNs));
    }

    public double mean() {
      return (lowNs + (double) highNs) / 2;
    }

    public double secondMoment() {
      double a = lowNs, b = highNs;
      return (a * a + a * b + b * b) / 3;
    }

    public String spec() {
      return "uniform(" + Durations.format(lowNs) + "," + Durations.format(highNs) + ")";
    }
  }

  /**
   * Log-normal with median {@code medianNs} and shape {@code sigma} (the standard deviation of the
   * underlying normal): mean {@code median*exp(sigma^2/2)}, E[X^2] {@code median^2*exp(2 sigma^2)}.
   * The normal comes from Box–Muller on two uniforms because {@link SplittableRandom} has no {@code
   * nextGaussian} in Java 17.
   */
  public record LogNormal(long medianNs, double sigma) implements Dist {
    public LogNormal {
      nonNegative(medianNs, "lognormal");
      // sigma above 5 gives a mean of more than e^12.5 medians and, past about 37, an infinite one
      // (a NaN for median 0): found by the property test of the grammar.
      if (!(sigma >= 0) || sigma > 5) {
        throw new IllegalArgumentException("lognormal needs a sigma in [0, 5], got " + sigma);
      }
    }

    public long sample(SplittableRandom rng) {
      double u1 = rng.nextDouble();
      double u2 = rng.nextDouble();
      double z = Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
      return Math.round(medianNs * Math.exp(sigma * z));
    }

    public double mean() {
      return medianNs * Math.exp(sigma * sigma / 2);
    }

    public double secondMoment() {
      return (double) medianNs * medianNs * Math.exp(2 * sigma * sigma);
    }

    public String spec() {
      return "lognormal(" + Durations.format(medianNs) + "," + number(sigma) + ")";
    }
  }

  /** {@code offsetNs} plus a draw of {@code dist}: a fixed cost followed by a variable one. */
  public record Shift(long offsetNs, Dist dist) implements Dist {
    public Shift {
      nonNegative(offsetNs, "shift");
    }

    public long sample(SplittableRandom rng) {
      return saturatingAdd(offsetNs, dist.sample(rng));
    }

    public double mean() {
      return offsetNs + dist.mean();
    }

    public double secondMoment() {
      double x = offsetNs;
      return x * x + 2 * x * dist.mean() + dist.secondMoment();
    }

    public String spec() {
      return "shift(" + Durations.format(offsetNs) + "," + dist.spec() + ")";
    }
  }

  /** One weighted branch of a {@link Mix}. */
  public record Component(double weight, Dist dist) {}

  /**
   * With probability {@code weight_i}, a draw of {@code dist_i}; one uniform picks the branch.
   * Weights are positive and sum to 1 within 1e-9.
   */
  public record Mix(List<Component> components) implements Dist {
    public Mix {
      components = List.copyOf(components);
      if (components.isEmpty()) throw new IllegalArgumentException("mix needs a component");
    }

    public long sample(SplittableRandom rng) {
      double u = rng.nextDouble();
      double cumulative = 0;
      for (Component c : components) {
        cumulative += c.weight();
        if (u < cumulative) return c.dist().sample(rng);
      }
      // Weights may sum to 1 - 1e-9: the last branch takes the rounding gap.
      return components.get(components.size() - 1).dist().sample(rng);
    }

    public double mean() {
      double m = 0;
      for (Component c : components) m += c.weight() * c.dist().mean();
      return m;
    }

    public double secondMoment() {
      double m = 0;
      for (Component c : components) m += c.weight() * c.dist().secondMoment();
      return m;
    }

    public String spec() {
      StringBuilder sb = new StringBuilder("mix(");
      for (int i = 0; i < components.size(); i++) {
        if (i > 0) sb.append(',');
        sb.append(number(components.get(i).weight()))
            .append(':')
            .append(components.get(i).dist().spec());
      }
      return sb.append(')').toString();
    }
  }

  /**
   * A uniform pick among measured values (e.g. service times recorded on a real machine); the
   * moments are those of the values. {@code file} is absolute so that {@link #spec()} parses back
   * from any directory. Moments are recomputed on each call, so cache them on a hot path.
   */
  public record Empirical(Path file, List<Long> valuesNs) implements Dist {
    public Empirical {
      valuesNs = List.copyOf(valuesNs);
      if (valuesNs.isEmpty()) throw new IllegalArgumentException("empirical needs a value");
      for (long v : valuesNs) nonNegative(v, "empirical");
    }

    public long sample(SplittableRandom rng) {
      return valuesNs.get(rng.nextInt(valuesNs.size()));
    }

    public double mean() {
      double sum = 0;
      for (long v : valuesNs) sum += v;
      return sum / valuesNs.size();
    }

    public double secondMoment() {
      double sum = 0;
      for (long v : valuesNs) sum += (double) v * v;
      return sum / valuesNs.size();
    }

    public String spec() {
      return "empirical(" + file + ")";
    }
  }

  /** Shortest exact decimal text of a weight or sigma, never in exponent form. */
  static String number(double x) {
    return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }

  private static void nonNegative(long ns, String form) {
    if (ns < 0)
      throw new IllegalArgumentException(form + " needs non-negative durations; got " + ns);
  }

  private static long saturatingAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }
}
