package dev.ghostgym.app.eval;

/**
 * Mean and 95% confidence interval across seeds. The seeds are few (typically 3 to 10), so the
 * interval uses Student's t quantile for n-1 degrees of freedom, not the normal 1.96.
 *
 * @param halfWidth half the width of the 95% interval (0 for a single seed: no spread is known)
 */
public record Stats(int n, double mean, double halfWidth) {
  /** t(0.975, df) for df = 1..30; beyond that the normal quantile is close enough. */
  private static final double[] T975 = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042
  };

  public static Stats of(double[] xs) {
    int n = 0;
    double sum = 0;
    for (double x : xs)
      if (!Double.isNaN(x)) {
        n++;
        sum += x;
      }
    if (n == 0) return new Stats(0, Double.NaN, Double.NaN);
    double mean = sum / n;
    if (n == 1) return new Stats(1, mean, 0);
    double ss = 0;
    for (double x : xs) if (!Double.isNaN(x)) ss += (x - mean) * (x - mean);
    double sd = Math.sqrt(ss / (n - 1));
    return new Stats(n, mean, t975(n - 1) * sd / Math.sqrt(n));
  }

  static double t975(int df) {
    return df <= T975.length ? T975[df - 1] : 1.96;
  }
}
