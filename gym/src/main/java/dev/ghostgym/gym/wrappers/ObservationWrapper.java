package dev.ghostgym.gym.wrappers;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Space;
import java.util.Map;

/**
 * A wrapper that maps every observation, after reset and after step (Gymnasium's {@code
 * ObservationWrapper}).
 */
public abstract class ObservationWrapper<WO, O, A> extends Wrapper<WO, A, O, A> {
  protected ObservationWrapper(Env<O, A> env, Space<WO> observationSpace) {
    super(env, observationSpace, env.actionSpace());
  }

  /** The observation seen through the wrapper for the wrapped env's {@code observation}. */
  protected abstract WO observation(O observation);

  @Override
  public Reset<WO> reset(Long seed, Map<String, Object> options) {
    Reset<O> r = env.reset(seed, options);
    return new Reset<>(observation(r.observation()), r.info());
  }

  @Override
  public Step<WO> step(A action) {
    Step<O> s = env.step(action);
    return s.withObservation(observation(s.observation()));
  }
}
