package dev.ghostgym.cluster;

import java.util.Map;

/**
 * One answer's envs on the learner, on their way to a {@link ClusterBatch}: position k belongs to
 * {@code ids[k]}. An env with no observation here is a fault: its {@code reason}, and whether its
 * env is gone from its node ({@code gone}: it must be re-created) or failed there (its node resets
 * it at the next step). An env the answer does not mention stays a fault with no reason, gone.
 */
final class AnswerRows {
  final int[] ids;
  final float[][] obs;
  final boolean[][] masks;
  final Map<String, Object>[] infos;
  final double[] rewards;
  final boolean[] terminated;
  final boolean[] truncated;
  final String[] reasons;
  final boolean[] gone;

  @SuppressWarnings("unchecked")
  AnswerRows(int[] ids) {
    int m = ids.length;
    this.ids = ids;
    obs = new float[m][];
    masks = new boolean[m][];
    infos = new Map[m];
    rewards = new double[m];
    terminated = new boolean[m];
    truncated = new boolean[m];
    reasons = new String[m];
    gone = new boolean[m];
    java.util.Arrays.fill(gone, true);
  }

  void set(
      int k,
      float[] o,
      boolean[] mask,
      Map<String, Object> info,
      double reward,
      boolean term,
      boolean trunc) {
    obs[k] = o;
    masks[k] = mask;
    infos[k] = info;
    rewards[k] = reward;
    terminated[k] = term;
    truncated[k] = trunc;
    gone[k] = false;
  }

  void fault(int k, String reason, boolean envGone) {
    reasons[k] = reason;
    gone[k] = envGone;
  }

  /** Position of env {@code id}, looked up where the node kept the order sent (it does). */
  int indexOf(int j, int id) {
    if (j < ids.length && ids[j] == id) return j;
    for (int k = 0; k < ids.length; k++) if (ids[k] == id) return k;
    throw new IllegalStateException("a node answered for env " + id + ", which it was not sent");
  }
}
