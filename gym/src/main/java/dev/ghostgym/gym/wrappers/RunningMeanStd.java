package dev.ghostgym.gym.wrappers;

/**
 * A running mean and variance combined batch by batch with Chan et al.'s parallel algorithm, as
 * Gymnasium's {@code gymnasium.wrappers.utils.RunningMeanStd}: it starts at mean 0, variance 1 and
 * count {@code epsilon} (1e-4 by default), so early estimates lean toward unit variance.
 */
public final class RunningMeanStd {
  private double mean;
  private double var = 1.0;
  private double count;

  public RunningMeanStd() {
    this(1e-4);
  }

  public RunningMeanStd(double epsilon) {
    this.count = epsilon;
  }

  /** Folds in one sample (a batch of one: batch variance 0). */
  public void update(double x) {
    updateFromMoments(x, 0.0, 1);
  }

  /** Folds in a batch given by its mean, (population) variance and size. */
  public void updateFromMoments(double batchMean, double batchVar, double batchCount) {
    double delta = batchMean - mean;
    double total = count + batchCount;
    double newMean = mean + delta * batchCount / total;
    double m2 = var * count + batchVar * batchCount + delta * delta * count * batchCount / total;
    mean = newMean;
    var = m2 / total;
    count = total;
  }

  public double mean() {
    return mean;
  }

  public double var() {
    return var;
  }

  public double count() {
    return count;
  }
}
