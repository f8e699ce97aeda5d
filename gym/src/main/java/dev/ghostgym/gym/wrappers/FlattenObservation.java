package dev.ghostgym.gym.wrappers;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.spaces.Box;
import dev.ghostgym.gym.spaces.Space;

/**
 * Flattens observations to a float vector, as Gymnasium's {@code FlattenObservation}: the
 * observation space becomes {@code observationSpace().flattenSpace()}, a one-dimensional Box of
 * {@code flatDim()} elements, and each observation {@code space.flatten(obs)} (Discrete parts
 * one-hot, Dict parts in key order).
 */
public final class FlattenObservation<O, A> extends ObservationWrapper<float[], O, A> {
  private final Space<O> inner;

  public FlattenObservation(Env<O, A> env) {
    super(env, env.observationSpace().flattenSpace());
    this.inner = env.observationSpace();
  }

  @Override
  public Box observationSpace() {
    return (Box) super.observationSpace();
  }

  @Override
  protected float[] observation(O observation) {
    return inner.flatten(observation);
  }
}
