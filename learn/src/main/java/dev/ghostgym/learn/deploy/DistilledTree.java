package dev.ghostgym.learn.deploy;

import dev.ghostgym.actors.policy.DecisionRequest;

/**
 * A regression tree over {@link Candidates} features, fitted to the network's preference for each
 * candidate ({@link TreeFit}), stored as flat arrays: node n tests {@code x[feature[n]] <=
 * threshold[n]} and goes to {@code left[n]} or {@code right[n]}; a leaf ({@code feature[n] < 0})
 * holds the score. Choosing is a walk per valid candidate and an argmax, with no allocation: the
 * distilled form of a learned policy (as SCHED distils RL policies to run in eBPF).
 *
 * <p>For deciding, the tree is compiled into a complete binary tree of its depth D (a leaf above
 * depth D is padded with tests that always go left, down to copies of its value): node p's children
 * are 2p+1 and 2p+2, so a walk is exactly D steps of {@code p = 2p + 1 + (x > t)} with no
 * data-dependent loop exit, on flat int/float arrays. The candidates are walked level by level
 * together, so the CPU overlaps their independent chains of loads.
 */
public final class DistilledTree {
  private final int[] feature;
  private final double[] threshold;
  private final int[] left;
  private final int[] right;
  private final float[] value;
  private final int levels; // D
  private final int[] cFeature; // compiled, per internal node of the complete tree
  private final float[] cThreshold;
  private final float[] cLeaf; // per leaf of the complete tree (2^D)
  private float[] xs = new float[0]; // candidates' features, Candidates.COUNT per candidate
  private int[] at = new int[0]; // each candidate's node during the walk

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
    this.levels = depth(0);
    if (levels > 16) throw new IllegalArgumentException("tree: depth " + levels + " > 16");
    int internal = (1 << levels) - 1;
    cFeature = new int[internal];
    cThreshold = new float[internal];
    cLeaf = new float[internal + 1];
    compile(0, 0, 0);
  }

  static float floatAtMost(double t) {
    float f = (float) t;
    return f > t ? Math.nextDown(f) : f;
  }

  /** Lays node n of the fitted tree out at position p (depth d) of the complete tree. */
  private void compile(int n, int p, int d) {
    if (d == levels) {
      cLeaf[p - cFeature.length] = value[n];
      return;
    }
    boolean leaf = feature[n] < 0;
    cFeature[p] = leaf ? 0 : feature[n];
    // The largest float <= t: for a feature that is a float, x <= it exactly when x <= t. A
    // leaf's padding always goes left.
    cThreshold[p] = leaf ? Float.POSITIVE_INFINITY : floatAtMost(threshold[n]);
    compile(leaf ? n : left[n], 2 * p + 1, d + 1);
    compile(leaf ? n : right[n], 2 * p + 2, d + 1);
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
    int queued = Math.min(slots, r.runQueue().size());
    boolean keep = r.kind() == DecisionRequest.Kind.SLICE && r.task() != null;
    int n = queued + (keep ? 1 : 0);
    if (n == 0) return 0;
    if (at.length < n) {
      at = new int[slots + 1]; // once per policy: the largest decision it can see
      xs = new float[(slots + 1) * Candidates.COUNT];
    }
    float[] v = xs;
    int[] p = at;
    Candidates.writeAll(r, queued, keep, slots, hints, slack, v);
    java.util.Arrays.fill(p, 0, n, 0);
    int[] f = cFeature;
    float[] t = cThreshold;
    for (int d = 0; d < levels; d++) {
      for (int c = 0, base = 0; c < n; c++, base += Candidates.COUNT) {
        int q = p[c];
        p[c] = 2 * q + 1 + (v[base + f[q]] > t[q] ? 1 : 0);
      }
    }
    int internal = f.length;
    int best = 0;
    float bestScore = cLeaf[p[0] - internal];
    for (int c = 1; c < n; c++) {
      float s = cLeaf[p[c] - internal];
      if (s > bestScore) {
        best = c;
        bestScore = s;
      }
    }
    return keep && best == queued ? slots : best;
  }
}
