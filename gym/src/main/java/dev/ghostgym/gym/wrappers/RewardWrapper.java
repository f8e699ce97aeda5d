package dev.ghostgym.gym.wrappers;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import java.util.Map;

/** A wrapper that maps every reward by a stateless function (Gymnasium's {@code RewardWrapper}). */
public abstract class RewardWrapper<O, A> extends Wrapper<O, A, O, A> {
  protected RewardWrapper(Env<O, A> env) {
    super(env, env.observationSpace(), env.actionSpace());
  }

  protected abstract double reward(double reward);

  @Override
  public Reset<O> reset(Long seed, Map<String, Object> options) {
    return env.reset(seed, options);
  }

  @Override
  public Step<O> step(A action) {
    Step<O> s = env.step(action);
    return s.withReward(reward(s.reward()));
  }
}
