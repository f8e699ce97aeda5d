package dev.ghostgym.learn;

import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.vector.PipelinedVectorEnv;
import dev.ghostgym.gym.vector.VectorEnv;
import dev.ghostgym.gym.vector.VectorStep;
import java.util.Arrays;
import java.util.Map;

/**
 * A rollout's view of its vector env as {@code groups} contiguous groups of envs (group g is envs
 * {@code from(g)..to(g)-1}), so that a learner can choose one group's actions while the others
 * step. On a {@link PipelinedVectorEnv} (a cluster's) {@link #send} starts the group at once and
 * {@link #recv} waits for that group's envs only, keeping the answers of other groups that arrive
 * first; on any other vector env the groups' actions are gathered and all envs take one {@code
 * step} when the last group is sent. What the learner sees is the same either way and in any order
 * the answers arrive: the results of each env, read in group order. With one group this is the
 * plain synchronous step.
 */
final class GroupedSteps {
  private final VectorEnv<Map<String, Object>, Integer> env;
  private final PipelinedVectorEnv<Map<String, Object>> pipe;
  private final Space<Map<String, Object>> space;
  private final int n;
  private final int groups;
  private final int[] actions;
  private final int[][] groupIds; // group g's env ids, for PipelinedVectorEnv.send
  // each env's latest result, valid once its group is received
  private final float[][] obs;
  private final boolean[][] masks;
  private final double[] rewards;
  private final boolean[] done;
  private final boolean[] back;

  @SuppressWarnings("unchecked")
  GroupedSteps(VectorEnv<Map<String, Object>, Integer> env, int groups) {
    this.env = env;
    this.pipe =
        env instanceof PipelinedVectorEnv<?> p ? (PipelinedVectorEnv<Map<String, Object>>) p : null;
    this.space = env.singleObservationSpace();
    this.n = env.numEnvs();
    if (groups < 1 || groups > n) {
      throw new IllegalArgumentException(
          "rollout groups: expected 1.." + n + " (the number of envs), got " + groups);
    }
    this.groups = groups;
    actions = new int[n];
    groupIds = new int[groups][];
    for (int g = 0; g < groups; g++) {
      groupIds[g] = new int[to(g) - from(g)];
      for (int k = 0; k < groupIds[g].length; k++) groupIds[g][k] = from(g) + k;
    }
    obs = new float[n][];
    masks = new boolean[n][];
    rewards = new double[n];
    done = new boolean[n];
    back = new boolean[n];
  }

  int groups() {
    return groups;
  }

  int from(int g) {
    return (int) ((long) g * n / groups);
  }

  int to(int g) {
    return from(g + 1);
  }

  /** Steps group g's envs with {@code a[from(g)..to(g))} ({@code a} is indexed by env). */
  void send(int g, int[] a) {
    int from = from(g), to = to(g);
    System.arraycopy(a, from, actions, from, to - from);
    for (int i = from; i < to; i++) back[i] = false;
    if (pipe != null) {
      pipe.send(Arrays.copyOfRange(actions, from, to), groupIds[g], to - from);
    } else if (g == groups - 1) {
      VectorStep<Map<String, Object>> st = env.step(actions.clone());
      for (int i = 0; i < n; i++) {
        keep(i, space.flatten(st.observation(i)), st.info(i), st.rewards()[i], st.done(i));
      }
    }
  }

  /** Waits until every env of group g is back; then its results can be read. */
  void recv(int g) {
    if (pipe == null) return; // stepped with the last group
    for (int i = from(g); i < to(g); i++) {
      while (!back[i]) {
        PipelinedVectorEnv.Answer<Map<String, Object>> b = pipe.recv();
        for (int k = 0; k < b.size(); k++) {
          keep(
              b.envId(k),
              b.flatObservation(k),
              b.info(k),
              b.reward(k),
              b.terminated(k) || b.truncated(k));
        }
      }
    }
  }

  private void keep(int i, float[] o, Map<String, Object> info, double reward, boolean d) {
    obs[i] = o;
    masks[i] = (boolean[]) info.get("action_mask");
    rewards[i] = reward;
    done[i] = d;
    back[i] = true;
  }

  float[] observation(int i) {
    return obs[i];
  }

  boolean[] mask(int i) {
    return masks[i];
  }

  double reward(int i) {
    return rewards[i];
  }

  boolean done(int i) {
    return done[i];
  }
}
