package dev.ghostgym.learn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The small networks of the learners and the few tensor steps they share: a tanh MLP on the
 * flattened observation, the actor-critic pair (logits and value from one input), masked logits
 * (invalid actions at -1e9 before the softmax), masked argmax, and parameters to and from bytes.
 */
public final class Nets {
  /**
   * The logit given to an invalid action: exp(-1e9 - max) is 0 in float, so it is never sampled.
   */
  public static final float MASKED = -1e9f;

  private Nets() {}

  /** in -> hidden (tanh) ... -> out. */
  public static SequentialBlock mlp(int[] hidden, int out) {
    SequentialBlock b = new SequentialBlock();
    for (int h : hidden) b.add(Linear.builder().setUnits(h).build()).add(Activation::tanh);
    b.add(Linear.builder().setUnits(out).build());
    return b;
  }

  /** Actor and critic as one block: input -> (logits [B, actions], value [B, 1]). */
  public static Block actorCritic(int[] hidden, int actions) {
    return new ParallelBlock(
        outs -> new NDList(outs.get(0).singletonOrThrow(), outs.get(1).singletonOrThrow()),
        List.of(mlp(hidden, actions), mlp(hidden, 1)));
  }

  /**
   * Initialises {@code block} for inputs of {@code obsDim} floats (uses the engine's seeded
   * generator).
   */
  public static void initialize(Block block, NDManager m, int obsDim) {
    block.initialize(m, DataType.FLOAT32, new Shape(1, obsDim));
  }

  /** Inference (no gradients) on a batch; the outputs live in {@code m}. */
  public static NDList infer(Block block, NDManager m, float[][] obs) {
    return block.forward(new ParameterStore(m, false), new NDList(batch(m, obs)), false);
  }

  public static NDArray batch(NDManager m, float[][] rows) {
    int n = rows.length, d = rows[0].length;
    float[] flat = new float[n * d];
    for (int i = 0; i < n; i++) System.arraycopy(rows[i], 0, flat, i * d, d);
    return m.create(flat, new Shape(n, d));
  }

  /** 0 where valid, {@link #MASKED} where not; shape [B, actions]. */
  public static NDArray penalty(NDManager m, boolean[][] masks) {
    int n = masks.length, a = masks[0].length;
    float[] p = new float[n * a];
    for (int i = 0; i < n; i++) for (int j = 0; j < a; j++) if (!masks[i][j]) p[i * a + j] = MASKED;
    return m.create(p, new Shape(n, a));
  }

  /** Row-wise values of a [B, K] array. */
  public static float[][] rows(NDArray x) {
    int n = (int) x.getShape().get(0), k = (int) x.getShape().get(1);
    float[] f = x.toFloatArray();
    float[][] out = new float[n][k];
    for (int i = 0; i < n; i++) System.arraycopy(f, i * k, out[i], 0, k);
    return out;
  }

  /** The valid action with the largest score (lowest index on ties); 0 when none is valid. */
  public static int argmax(float[] scores, boolean[] mask) {
    int best = -1;
    for (int a = 0; a < scores.length; a++) {
      if (mask[a] && (best < 0 || scores[a] > scores[best])) best = a;
    }
    return Math.max(best, 0);
  }

  public static boolean any(boolean[] mask) {
    for (boolean b : mask) if (b) return true;
    return false;
  }

  public static void save(Block block, OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    block.saveParameters(d);
    d.flush();
  }

  /**
   * Loads parameters into the arrays {@code block} already has, value by value. Needed for a
   * network inside a DJL {@code Trainer}: its parameter store keeps the arrays it saw at {@code
   * trainer.initialize}, and {@link #load} replaces the parameters' arrays with new ones, so
   * training would go on updating the old (freshly initialised) arrays while inference read the
   * loaded ones: a "resumed" run that silently restarted from scratch. {@code scratch} is a new
   * block of the same architecture to decode into.
   */
  public static void loadInPlace(
      Block block, Block scratch, NDManager m, int obsDim, InputStream in) throws IOException {
    try (NDManager sm = m.newSubManager()) {
      initialize(scratch, sm, obsDim);
      load(scratch, sm, in);
      var to = block.getParameters();
      var from = scratch.getParameters();
      if (to.size() != from.size()) throw new IOException("parameters do not fit the network");
      for (int i = 0; i < to.size(); i++) {
        NDArray src = from.get(i).getValue().getArray();
        NDArray dst = to.get(i).getValue().getArray();
        if (!src.getShape().equals(dst.getShape()))
          throw new IOException("parameter " + to.get(i).getKey() + " has shape " + src.getShape());
        src.copyTo(dst);
      }
    }
  }

  public static void load(Block block, NDManager m, InputStream in) throws IOException {
    try {
      block.loadParameters(m, new DataInputStream(in));
    } catch (MalformedModelException e) {
      throw new IOException("parameters do not fit the network: " + e.getMessage(), e);
    }
  }
}
