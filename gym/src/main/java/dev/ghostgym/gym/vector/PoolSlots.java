package dev.ghostgym.gym.vector;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import java.util.List;
import java.util.Map;

/**
 * The per-env slots of a {@link PoolVectorEnv}: each env's request (written by the learner before
 * it publishes the id) and result (written by the env thread before it offers the id back), and
 * stepping an env from its slot. The rings order the accesses; this class adds no synchronization.
 */
final class PoolSlots<O, A> {
  static final int STEP = 1;
  static final int RESET = 2;

  private final List<Env<O, A>> envs;
  // per env, request: written by the learner before it publishes the id
  final int[] op;
  final long[] seeds;
  final Object[] actions;
  volatile Map<String, Object> resetOptions = Map.of();
  // per env, result: written by the env thread before it offers the id back
  final Object[] obs;
  final double[] rewards;
  final boolean[] terminated;
  final boolean[] truncated;
  final Object[] infos;
  final RuntimeException[] errors;
  private final boolean[] autoreset; // touched only by whichever env thread steps the env

  PoolSlots(List<Env<O, A>> envs) {
    this.envs = envs;
    int n = envs.size();
    op = new int[n];
    seeds = new long[n];
    actions = new Object[n];
    obs = new Object[n];
    rewards = new double[n];
    terminated = new boolean[n];
    truncated = new boolean[n];
    infos = new Object[n];
    errors = new RuntimeException[n];
    autoreset = new boolean[n];
  }

  /** Copies env {@code id}'s result into row {@code row} of {@code into}. */
  void copyResult(int id, PoolBatch<O> into, int row) {
    into.envIds[row] = id;
    into.observations[row] = obs[id];
    into.rewards[row] = rewards[id];
    into.terminated[row] = terminated[id];
    into.truncated[row] = truncated[id];
    into.infos[row] = infos[id];
  }

  @SuppressWarnings("unchecked")
  void run(int id) {
    Env<O, A> env = envs.get(id);
    boolean reset = op[id] == RESET;
    try {
      if (reset || autoreset[id]) {
        Reset<O> r =
            env.reset(reset && seeds[id] >= 0 ? seeds[id] : null, reset ? resetOptions : Map.of());
        obs[id] = r.observation();
        infos[id] = r.info();
        rewards[id] = 0;
        terminated[id] = false;
        truncated[id] = false;
      } else {
        Step<O> s = env.step((A) actions[id]);
        obs[id] = s.observation();
        rewards[id] = s.reward();
        terminated[id] = s.terminated();
        truncated[id] = s.truncated();
        infos[id] = s.info();
      }
      autoreset[id] = terminated[id] || truncated[id];
    } catch (RuntimeException e) {
      errors[id] =
          new IllegalStateException(
              "sub-env "
                  + id
                  + " failed in "
                  + (reset ? "reset" : autoreset[id] ? "autoreset" : "step")
                  + ": "
                  + e,
              e);
      obs[id] = null;
      infos[id] = Map.of();
      rewards[id] = 0;
      terminated[id] = false;
      truncated[id] = false;
    }
  }

  /** Closes every env; the first failure is rethrown after all were tried. */
  void closeEnvs() {
    RuntimeException first = null;
    for (int i = 0; i < envs.size(); i++) {
      try {
        envs.get(i).close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = new IllegalStateException("sub-env " + i + " failed in close: " + e, e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
