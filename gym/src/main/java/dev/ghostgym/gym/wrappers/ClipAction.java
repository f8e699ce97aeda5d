package dev.ghostgym.gym.wrappers;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.spaces.Box;

/**
 * Clips Box actions into the wrapped env's bounds, as Gymnasium 1.x's {@code ClipAction}: the
 * wrapper's action space is the unbounded {@code Box(-inf, inf, shape)} and each action is {@code
 * min(max(a, low), high)} element-wise (NaN stays NaN, as with {@code np.clip}). The caller's array
 * is not modified.
 */
public final class ClipAction<O> extends ActionWrapper<float[], O, float[]> {
  private final Box bounds;

  public ClipAction(Env<O, float[]> env) {
    super(env, unbounded(env));
    this.bounds = (Box) env.actionSpace();
  }

  private static Box unbounded(Env<?, float[]> env) {
    if (!(env.actionSpace() instanceof Box box)) {
      throw new IllegalArgumentException(
          "ClipAction needs a Box action space, " + env + " has " + env.actionSpace());
    }
    return new Box(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, box.shape());
  }

  @Override
  protected float[] action(float[] action) {
    if (action.length != bounds.size()) {
      throw new IllegalArgumentException(
          "action of length "
              + action.length
              + " for "
              + bounds
              + ": expected length "
              + bounds.size());
    }
    float[] clipped = new float[action.length];
    for (int i = 0; i < action.length; i++) {
      float a = action[i];
      clipped[i] = Float.isNaN(a) ? a : Math.min(Math.max(a, bounds.low(i)), bounds.high(i));
    }
    return clipped;
  }
}
