package dev.ghostgym.gym.wrappers;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Space;
import java.util.Map;

/**
 * A wrapper that maps every action before the wrapped env sees it (Gymnasium's {@code
 * ActionWrapper}).
 */
public abstract class ActionWrapper<WA, O, A> extends Wrapper<O, WA, O, A> {
  protected ActionWrapper(Env<O, A> env, Space<WA> actionSpace) {
    super(env, env.observationSpace(), actionSpace);
  }

  /** The wrapped env's action for the wrapper's {@code action}. */
  protected abstract A action(WA action);

  @Override
  public Reset<O> reset(Long seed, Map<String, Object> options) {
    return env.reset(seed, options);
  }

  @Override
  public Step<O> step(WA action) {
    return env.step(action(action));
  }
}
