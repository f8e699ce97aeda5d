package dev.ghostgym.gym.vector;

import java.util.Map;

/**
 * A vector env that steps some of its envs while the caller works on others (EnvPool's asynchronous
 * mode): {@link #send} starts envs and returns at once, {@link #recv} returns the envs of whichever
 * answer is ready first, with their ids. Per env id the semantics are {@link VectorEnv}'s (seeds,
 * next-step autoreset, each env sees only its own actions in the order sent), so trajectories do
 * not depend on the order answers arrive in. Not thread-safe.
 */
public interface PipelinedVectorEnv<O> extends VectorEnv<O, Integer> {
  /**
   * Steps {@code envIds[0..count)} with {@code actions[0..count)}; returns at once. An env must not
   * be in flight already.
   */
  void send(int[] actions, int[] envIds, int count);

  /** The envs of the first answer that arrives, waiting for one; throws when none is in flight. */
  Answer<O> recv();

  /** Envs sent and not yet returned by {@link #recv}. */
  int inFlight();

  /** Some envs' results; position k belongs to env {@code envId(k)}. */
  interface Answer<O> {
    int size();

    int envId(int k);

    O observation(int k);

    /**
     * The observation as its space's {@code flatten} gives it, without building the observation
     * first where the env has it flat already; the caller must not modify it.
     */
    float[] flatObservation(int k);

    double reward(int k);

    boolean terminated(int k);

    boolean truncated(int k);

    Map<String, Object> info(int k);
  }
}
