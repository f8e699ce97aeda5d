package dev.ghostgym.gym.wrappers;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import java.util.Map;

/**
 * Refuses {@code step} before the first {@code reset}, as Gymnasium's {@code OrderEnforcing} (which
 * raises {@code ResetNeeded}): here an IllegalStateException saying what to call.
 */
public final class OrderEnforcing<O, A> extends Wrapper<O, A, O, A> {
  private boolean hasReset;

  public OrderEnforcing(Env<O, A> env) {
    super(env, env.observationSpace(), env.actionSpace());
  }

  /** Whether {@code reset} has been called. */
  public boolean hasReset() {
    return hasReset;
  }

  @Override
  public Reset<O> reset(Long seed, Map<String, Object> options) {
    hasReset = true;
    return env.reset(seed, options);
  }

  @Override
  public Step<O> step(A action) {
    if (!hasReset) {
      throw new IllegalStateException(
          "Cannot call step() before reset() on "
              + env
              + ": call reset(seed, options) first to start an episode");
    }
    return env.step(action);
  }
}
