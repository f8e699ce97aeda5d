package dev.ghostgym.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) whose state can be saved and restored, so a resumed run continues the
 * same optimisation: DJL's {@code Adam} keeps its moments and step counts in private fields, so a
 * resume used to restart them at zero (a different run from that step on). The update is DJL's own
 * fused PyTorch kernel with the same arguments as DJL's Adam (bias-corrected rate {@code lr *
 * sqrt(1 - beta2^t) / (1 - beta1^t)}, clipping, no weight decay), so a run that is never
 * interrupted is numerically the same as with DJL's optimizer.
 */
final class ResumableAdam extends Optimizer {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final ParameterTracker lr;
  private ParameterTracker warmUpLr; // while not null, the rate instead of lr (behaviour cloning)
  private final Map<String, NDArray> means = new HashMap<>();
  private final Map<String, NDArray> variances = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }

  ResumableAdam(ParameterTracker lr, float clipGrad) {
    super(new Builder().optClipGrad(clipGrad));
    this.lr = lr;
  }

  @Override
  public void update(String id, NDArray weight, NDArray grad) {
    int t = counts.merge(id, 1, Integer::sum);
    double c1 = 1.0 - Math.pow(BETA1, t);
    double c2 = 1.0 - Math.pow(BETA2, t);
    float rate = (warmUpLr != null ? warmUpLr : lr).getNewValue(id, t);
    float corrected = (float) (rate * Math.sqrt(c2) / c1);
    NDArray mean = means.computeIfAbsent(id, k -> weight.zerosLike());
    NDArray var = variances.computeIfAbsent(id, k -> weight.zerosLike());
    weight
        .getNDArrayInternal()
        .adamUpdate(
            new NDList(weight, grad, mean, var),
            new NDList(weight),
            rate,
            corrected,
            getWeightDecay(),
            rescaleGrad,
            clipGrad,
            BETA1,
            BETA2,
            EPSILON,
            true,
            false);
  }

  /**
   * Updates at {@code rate} from now on, until {@link #reset}: a warm start (behaviour cloning)
   * before the run does not use up the run's learning-rate schedule.
   */
  void warmUp(ParameterTracker rate) {
    warmUpLr = rate;
  }

  /**
   * Forgets every step count and moment and any warm-up rate: the run's optimisation starts here,
   * as if the parameters had been initialised to their current values.
   */
  void reset() {
    means.values().forEach(NDArray::close);
    variances.values().forEach(NDArray::close);
    means.clear();
    variances.clear();
    counts.clear();
    warmUpLr = null;
  }

  /** Writes the step count and both moments of every parameter of {@code block}, in block order. */
  void save(Block block, DataOutputStream out) throws IOException {
    out.writeInt(block.getParameters().size());
    for (Pair<String, Parameter> p : block.getParameters()) {
      String id = p.getValue().getId();
      out.writeInt(counts.getOrDefault(id, 0));
      writeArray(out, means.get(id));
      writeArray(out, variances.get(id));
    }
  }

  /** Reads what {@link #save} wrote into the state of {@code block}'s parameters. */
  void load(Block block, NDManager m, DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n != block.getParameters().size()) {
      throw new IOException(
          "optimizer state for "
              + n
              + " parameters, the network has "
              + block.getParameters().size());
    }
    for (Pair<String, Parameter> p : block.getParameters()) {
      String id = p.getValue().getId();
      int count = in.readInt();
      if (count > 0) counts.put(id, count);
      NDArray mean = readArray(in, m);
      NDArray var = readArray(in, m);
      if (mean != null) means.put(id, mean);
      if (var != null) variances.put(id, var);
    }
  }

  private static void writeArray(DataOutputStream out, NDArray a) throws IOException {
    if (a == null) {
      out.writeInt(-1);
      return;
    }
    long[] shape = a.getShape().getShape();
    out.writeInt(shape.length);
    for (long d : shape) out.writeLong(d);
    float[] v = a.toFloatArray();
    for (float f : v) out.writeFloat(f);
  }

  private static NDArray readArray(DataInputStream in, NDManager m) throws IOException {
    int rank = in.readInt();
    if (rank < 0) return null;
    if (rank > 8) throw new IOException("optimizer state: rank " + rank);
    long[] shape = new long[rank];
    long size = 1;
    for (int i = 0; i < rank; i++) {
      shape[i] = in.readLong();
      if (shape[i] < 0 || shape[i] > 1 << 24)
        throw new IOException("optimizer state: dimension " + shape[i]);
      size *= shape[i];
    }
    if (size > 1 << 26) throw new IOException("optimizer state: " + size + " values");
    float[] v = new float[(int) size];
    for (int i = 0; i < v.length; i++) v[i] = in.readFloat();
    return m.create(v, new Shape(shape));
  }
}
