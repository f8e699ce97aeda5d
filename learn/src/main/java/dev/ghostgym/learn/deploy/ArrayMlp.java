package dev.ghostgym.learn.deploy;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The policy head of a trained network as plain float arrays, with a forward pass that allocates
 * nothing: the agent's inference path, free of native calls. Layers are dense with tanh between
 * them (the learners' {@code Nets.mlp}); each weight matrix is kept input-major, one row array per
 * input, so a layer is a sequence of axpy loops over contiguous rows, which the JIT vectorises. Not
 * thread-safe: one instance per agent (buffers are reused).
 */
public final class ArrayMlp {
  private final int[] sizes; // input, hidden..., output
  private final float[][] weights; // per layer, [in][out] flattened
  private final float[][] biases;
  private final float[][] acts; // per layer output buffer
  private final float[][][]
      rows; // per layer, per input: its weights to every output (views for the JIT)
  private final int[] nz; // indices of the non-zero inputs of the layer being computed

  /**
   * @param sizes layer widths, input first
   * @param weights per layer, input-major: weights[l][i * sizes[l + 1] + o]
   */
  public ArrayMlp(int[] sizes, float[][] weights, float[][] biases) {
    if (sizes.length < 2 || weights.length != sizes.length - 1 || biases.length != weights.length) {
      throw new IllegalArgumentException(
          "mlp: expected " + (sizes.length - 1) + " layers of weights and biases");
    }
    for (int l = 0; l < weights.length; l++) {
      if (weights[l].length != sizes[l] * sizes[l + 1] || biases[l].length != sizes[l + 1]) {
        throw new IllegalArgumentException(
            "mlp: layer " + l + " expected " + sizes[l] + "x" + sizes[l + 1]);
      }
    }
    this.sizes = sizes.clone();
    this.weights = weights;
    this.biases = biases;
    this.acts = new float[weights.length][];
    this.rows = new float[weights.length][][];
    this.nz = new int[Arrays.stream(sizes).max().getAsInt()];
    for (int l = 0; l < weights.length; l++) {
      acts[l] = new float[sizes[l + 1]];
      rows[l] = new float[sizes[l]][];
      for (int i = 0; i < sizes[l]; i++) {
        rows[l][i] = Arrays.copyOfRange(weights[l], i * sizes[l + 1], (i + 1) * sizes[l + 1]);
      }
    }
  }

  /** The actor of a trained block: the first branch of PPO's actor-critic, or DQN's whole MLP. */
  public static ArrayMlp fromBlock(Block block, String algo) {
    Block actor = algo.equals("ppo") ? block.getChildren().values().get(0) : block;
    List<float[]> ws = new ArrayList<>();
    List<float[]> bs = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (Block child : actor.getChildren().values()) {
      if (!(child instanceof Linear lin)) continue;
      NDArray w = lin.getParameters().get("weight").getArray(); // [out, in]
      int out = (int) w.getShape().get(0);
      int in = (int) w.getShape().get(1);
      float[] rowMajor = w.toFloatArray();
      float[] inMajor = new float[in * out];
      for (int o = 0; o < out; o++)
        for (int i = 0; i < in; i++) inMajor[i * out + o] = rowMajor[o * in + i];
      if (sizes.isEmpty()) sizes.add(in);
      sizes.add(out);
      ws.add(inMajor);
      bs.add(lin.getParameters().get("bias").getArray().toFloatArray());
    }
    if (ws.isEmpty()) throw new IllegalArgumentException("mlp: the block has no dense layers");
    return new ArrayMlp(
        sizes.stream().mapToInt(Integer::intValue).toArray(),
        ws.toArray(new float[0][]),
        bs.toArray(new float[0][]));
  }

  public int inputs() {
    return sizes[0];
  }

  public int outputs() {
    return sizes[sizes.length - 1];
  }

  int[] sizes() {
    return sizes.clone();
  }

  float[][] weights() {
    return weights;
  }

  float[][] biases() {
    return biases;
  }

  /**
   * The network's outputs for {@code x}; the returned array is this instance's buffer. Per layer:
   * the bias, then the inputs that are not 0 (many observation entries are: empty slots, nice,
   * hint, slack) gathered into {@code nz} and added four rows at a time, so that the output row is
   * loaded and stored once per four inputs instead of once per input; then tanh.
   */
  public float[] forward(float[] x) {
    float[] in = x;
    int[] nz = this.nz;
    for (int l = 0; l < weights.length; l++) {
      float[] out = acts[l];
      float[][] w = rows[l];
      int n = out.length;
      System.arraycopy(biases[l], 0, out, 0, n);
      int k = 0;
      for (int i = 0, m = sizes[l]; i < m; i++) if (in[i] != 0f) nz[k++] = i;
      int j = 0;
      for (; j + 3 < k; j += 4) {
        int i0 = nz[j], i1 = nz[j + 1], i2 = nz[j + 2], i3 = nz[j + 3];
        axpy4(out, n, in[i0], w[i0], in[i1], w[i1], in[i2], w[i2], in[i3], w[i3]);
      }
      for (; j < k; j++) {
        float xi = in[nz[j]];
        float[] wr = w[nz[j]];
        for (int o = 0; o < n; o++) out[o] += xi * wr[o];
      }
      if (l < weights.length - 1) tanhAll(out, n);
      in = out;
    }
    return in;
  }

  /**
   * out += a*ra + b*rb + c*rc + d*rd over {@code n} entries. Every array is indexed by the same
   * {@code o}, one row array per input: the JIT's SuperWord vectorises this (with an offset into
   * one flat matrix it cannot rule out an alias with {@code out} and the loop stays scalar, 5x
   * slower).
   */
  private static void axpy4(
      float[] out,
      int n,
      float a,
      float[] ra,
      float b,
      float[] rb,
      float c,
      float[] rc,
      float d,
      float[] rd) {
    for (int o = 0; o < n; o++) out[o] += a * ra[o] + b * rb[o] + c * rc[o] + d * rd[o];
  }

  // tanh x = x N(x^2) / D(x^2): the 13th convergent of Lambert's continued fraction x / (1 + x^2
  // / (3 + x^2 / (5 + ...))), expanded into two degree-6 polynomials and scaled so that N(0) =
  // D(0) = 1; within 4e-8 of tanh on [-9, 9] in exact arithmetic, about 3e-7 in float (PyTorch's
  // float tanh is as close), and beyond 9 tanh is 1 to a float's precision, so x is clamped there.
  private static final float N1 = 0.14666667f, N2 = 0.0052173913f, N3 = 6.6252588e-05f;
  private static final float N4 = 3.2286836e-07f, N5 = 5.1797064e-10f, N6 = 1.2648856e-13f;
  private static final float D1 = 0.48f, D2 = 0.031884058f, D3 = 6.6252588e-04f;
  private static final float D4 = 5.2304675e-06f, D5 = 1.5193805e-08f, D6 = 1.1510459e-11f;

  /**
   * tanh as a rational function (see the constants): only multiplies, adds, one divide and a clamp,
   * so the JIT vectorises the loop over a layer ({@link #tanhAll}); 3x faster than through an
   * exponential.
   */
  static float tanh(float v) {
    float x = Math.max(-9f, Math.min(9f, v));
    float z = x * x;
    float p = 1f + z * (N1 + z * (N2 + z * (N3 + z * (N4 + z * (N5 + z * N6)))));
    float q = 1f + z * (D1 + z * (D2 + z * (D3 + z * (D4 + z * (D5 + z * D6)))));
    return x * p / q;
  }

  /** {@link #tanh} of {@code a[0..n)} in place, in one loop the JIT can vectorise. */
  static void tanhAll(float[] a, int n) {
    for (int o = 0; o < n; o++) {
      float x = Math.max(-9f, Math.min(9f, a[o]));
      float z = x * x;
      float p = 1f + z * (N1 + z * (N2 + z * (N3 + z * (N4 + z * (N5 + z * N6)))));
      float q = 1f + z * (D1 + z * (D2 + z * (D3 + z * (D4 + z * (D5 + z * D6)))));
      a[o] = x * p / q;
    }
  }
}
