package dev.ghostgym.learn.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fits a regression tree (CART, squared error) to rows of candidate features and the network's
 * preference for each candidate. Splits are searched on at most 64 quantile bins per feature
 * (histogram CART, as LightGBM does), so a fit over a few hundred thousand rows takes a second;
 * thresholds are the bins' upper values, so the tree reads raw features. Deterministic.
 */
final class TreeFit {
  private static final int BINS = 64;
  private final double[][] x; // [feature][row]
  private final double[] y;
  private final int maxDepth;
  private final int minLeaf;
  private final double[][] edges; // [feature][bin] upper value of each bin
  private final byte[][] codes; // [feature][row]
  private final List<int[]> nodes = new ArrayList<>(); // feature, left, right
  private final List<double[]> values = new ArrayList<>(); // threshold, leaf value

  private TreeFit(double[][] x, double[] y, int maxDepth, int minLeaf) {
    this.x = x;
    this.y = y;
    this.maxDepth = maxDepth;
    this.minLeaf = minLeaf;
    this.edges = new double[x.length][];
    this.codes = new byte[x.length][];
    for (int f = 0; f < x.length; f++) bin(f);
  }

  /**
   * @param x features by column: x[feature][row]
   */
  static DistilledTree fit(double[][] x, double[] y, int maxDepth, int minLeaf) {
    if (y.length == 0) throw new IllegalArgumentException("tree: no samples to fit");
    TreeFit t = new TreeFit(x, y, maxDepth, minLeaf);
    int[] rows = new int[y.length];
    for (int i = 0; i < rows.length; i++) rows[i] = i;
    t.grow(rows, 0, rows.length, 0);
    int n = t.nodes.size();
    int[] feature = new int[n];
    int[] left = new int[n];
    int[] right = new int[n];
    double[] threshold = new double[n];
    float[] value = new float[n];
    for (int i = 0; i < n; i++) {
      feature[i] = t.nodes.get(i)[0];
      left[i] = t.nodes.get(i)[1];
      right[i] = t.nodes.get(i)[2];
      threshold[i] = t.values.get(i)[0];
      value[i] = (float) t.values.get(i)[1];
    }
    return new DistilledTree(feature, threshold, left, right, value);
  }

  private void bin(int f) {
    double[] sorted = x[f].clone();
    Arrays.sort(sorted);
    double[] e = new double[BINS];
    int k = 0;
    for (int b = 1; b <= BINS; b++) {
      double v = sorted[Math.min(sorted.length - 1, (int) ((long) b * sorted.length / BINS) - 1)];
      if (k == 0 || v > e[k - 1]) e[k++] = v;
    }
    e[k - 1] = Double.POSITIVE_INFINITY; // the last bin takes everything above
    edges[f] = Arrays.copyOf(e, k);
    codes[f] = new byte[y.length];
    for (int i = 0; i < y.length; i++) {
      int b = Arrays.binarySearch(edges[f], x[f][i]);
      codes[f][i] = (byte) (b >= 0 ? b : -b - 1);
    }
  }

  /**
   * Grows the subtree of rows[from..to) and returns its node index (preorder: children after
   * parents).
   */
  private int grow(int[] rows, int from, int to, int depth) {
    int id = nodes.size();
    double sum = 0;
    for (int i = from; i < to; i++) sum += y[rows[i]];
    int count = to - from;
    nodes.add(new int[] {-1, -1, -1});
    values.add(new double[] {0, sum / count});
    if (depth >= maxDepth || count < 2 * minLeaf) return id;
    int bestF = -1;
    int bestBin = -1;
    double bestGain = 1e-12;
    double[] hs = new double[BINS];
    int[] hc = new int[BINS];
    for (int f = 0; f < x.length; f++) {
      Arrays.fill(hs, 0);
      Arrays.fill(hc, 0);
      byte[] code = codes[f];
      for (int i = from; i < to; i++) {
        hs[code[rows[i]]] += y[rows[i]];
        hc[code[rows[i]]]++;
      }
      double ls = 0;
      int lc = 0;
      for (int b = 0; b < edges[f].length - 1; b++) {
        ls += hs[b];
        lc += hc[b];
        int rc = count - lc;
        if (lc < minLeaf || rc < minLeaf) continue;
        double rs = sum - ls;
        double gain = ls * ls / lc + rs * rs / rc - sum * sum / count;
        if (gain > bestGain) {
          bestGain = gain;
          bestF = f;
          bestBin = b;
        }
      }
    }
    if (bestF < 0) return id;
    int mid = partition(rows, from, to, codes[bestF], bestBin);
    nodes.get(id)[0] = bestF;
    values.get(id)[0] = edges[bestF][bestBin];
    nodes.get(id)[1] = grow(rows, from, mid, depth + 1);
    nodes.get(id)[2] = grow(rows, mid, to, depth + 1);
    return id;
  }

  private static int partition(int[] rows, int from, int to, byte[] code, int bin) {
    int i = from;
    int j = to - 1;
    while (i <= j) {
      if (code[rows[i]] <= bin) {
        i++;
      } else {
        int t = rows[i];
        rows[i] = rows[j];
        rows[j--] = t;
      }
    }
    return i;
  }
}
