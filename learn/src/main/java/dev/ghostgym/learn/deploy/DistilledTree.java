package dev.ghostgym.learn.deploy;

import dev.ghostgym.actors.policy.DecisionRequest;

/**
 * A regression tree over {@link Candidates} features, fitted to the network's preference for each
 * candidate ({@link TreeFit}), stored as flat arrays: node n tests {@code x[feature[n]] <=
 * threshold[n]} and goes to {@code left[n]} or {@code right[n]}; a leaf ({@code feature[n] < 0})
 * holds the score. Choosing is a walk per valid candidate and an argmax, with no allocation: the
 * distilled form of a learned policy (as SCHED distils RL policies to run in eBPF).
 */
public final class DistilledTree {
  private final int[] feature;
  private final double[] threshold;
  private final int[] left;
  private final int[] right;
  private final float[] value;
  private final double[] x = new double[Candidates.COUNT]; // reused per candidate

  public DistilledTree(int[] feature, double[] threshold, int[] left, int[] right, float[] value) {
    int n = feature.length;
    if (threshold.length != n
        || left.length != n
        || right.length != n
        || value.length != n
        || n == 0) {
      throw new IllegalArgumentException("tree: node arrays differ in length or are empty");
    }
    for (int i = 0; i < n; i++) {
      if (feature[i] >= Candidates.COUNT)
        throw new IllegalArgumentException("tree: node " + i + " feature " + feature[i]);
      if (feature[i] >= 0 && (left[i] <= i || right[i] <= i || left[i] >= n || right[i] >= n)) {
        throw new IllegalArgumentException("tree: node " + i + " children must follow it");
      }
    }
    this.feature = feature;
    this.threshold = threshold;
    this.left = left;
    this.right = right;
    this.value = value;
  }

  int[] feature() {
    return feature;
  }

  double[] threshold() {
    return threshold;
  }

  int[] left() {
    return left;
  }

  int[] right() {
    return right;
  }

  float[] value() {
    return value;
  }

  public int nodes() {
    return feature.length;
  }

  /** True when a split tests feature {@code f}. */
  boolean splitsOn(int f) {
    for (int g : feature) if (g == f) return true;
    return false;
  }

  /** The depth of the deepest leaf. */
  public int depth() {
    return depth(0);
  }

  private int depth(int n) {
    return feature[n] < 0 ? 0 : 1 + Math.max(depth(left[n]), depth(right[n]));
  }

  /** The score of a feature vector. */
  float score(double[] v) {
    int n = 0;
    while (feature[n] >= 0) n = v[feature[n]] <= threshold[n] ? left[n] : right[n];
    return value[n];
  }

  /** The best candidate: a slot (0..slots-1) or {@code slots} (keep), ties to the lowest index. */
  int choose(DecisionRequest r, int slots, boolean hints, boolean slack) {
    int n = Math.min(slots, r.runQueue().size());
    int best = -1;
    float bestScore = 0;
    for (int c = 0; c < n; c++) {
      Candidates.write(r, c, slots, hints, slack, x);
      float s = score(x);
      if (best < 0 || s > bestScore) {
        best = c;
        bestScore = s;
      }
    }
    if (r.kind() == DecisionRequest.Kind.SLICE && r.task() != null) {
      Candidates.write(r, slots, slots, hints, slack, x);
      if (best < 0 || score(x) > bestScore) best = slots;
    }
    return Math.max(best, 0);
  }
}
