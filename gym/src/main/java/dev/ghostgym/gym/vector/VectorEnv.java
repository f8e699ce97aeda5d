package dev.ghostgym.gym.vector;

import dev.ghostgym.gym.spaces.Space;
import java.util.List;
import java.util.Map;

/**
 * N copies of an environment stepped as one batch (Gymnasium 1.x's {@code VectorEnv}). Sub-env i
 * gets {@code actions[i]} and produces index i of every result. Sub-envs whose episode ended are
 * reset automatically on the following step, Gymnasium 1.x's default {@link
 * AutoresetMode#NEXT_STEP}: <b>the step after an env's terminal step ignores that env's action and
 * returns its reset observation with reward 0 and terminated = truncated = false</b>. So a learner
 * must not treat the transition from a terminal observation to the next reset observation as a real
 * one: skip index i at step t + 1 whenever {@code done(i)} was true at step t.
 *
 * <p>Not thread-safe: one caller at a time.
 */
public interface VectorEnv<O, A> extends AutoCloseable {
  int numEnvs();

  /** The observation space of each sub-env (all equal). */
  Space<O> singleObservationSpace();

  /** The action space of each sub-env (all equal). */
  Space<A> singleActionSpace();

  default AutoresetMode autoresetMode() {
    return AutoresetMode.NEXT_STEP;
  }

  /**
   * Resets every sub-env, env i with seed {@code seed + i} (all with null when {@code seed} is
   * null, continuing their generators), as Gymnasium's {@code VectorEnv.reset(seed=int)}; clears
   * pending autoresets.
   */
  VectorReset<O> resetAll(Long seed, Map<String, Object> options);

  default VectorReset<O> resetAll(Long seed) {
    return resetAll(seed, Map.of());
  }

  /**
   * One step of every sub-env, {@code actions[i]} to env i (ignored for an env being autoreset).
   *
   * @throws IllegalStateException before the first {@link #resetAll}, or wrapping a sub-env's
   *     failure (naming its index)
   * @throws IllegalArgumentException if {@code actions.length != numEnvs()}
   */
  VectorStep<O> step(Object[] actions);

  /** {@link #step(Object[])} for Discrete actions. */
  default VectorStep<O> step(int[] actions) {
    Object[] boxed = new Object[actions.length];
    for (int i = 0; i < actions.length; i++) {
      boxed[i] = actions[i];
    }
    return step(boxed);
  }

  default VectorStep<O> step(List<? extends A> actions) {
    return step(actions.toArray());
  }

  /** Closes every sub-env; idempotent. */
  @Override
  void close();
}
