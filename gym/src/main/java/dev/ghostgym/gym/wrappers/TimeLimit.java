package dev.ghostgym.gym.wrappers;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import java.util.Map;

/**
 * Truncates episodes at {@code maxEpisodeSteps} steps, as Gymnasium's {@code TimeLimit}: the step
 * that brings the count since the last reset to the limit returns {@code truncated = true}; {@code
 * terminated} is passed through unchanged (both can be true on the same step).
 */
public final class TimeLimit<O, A> extends Wrapper<O, A, O, A> {
  private final int maxEpisodeSteps;
  private int elapsedSteps;

  public TimeLimit(Env<O, A> env, int maxEpisodeSteps) {
    super(env, env.observationSpace(), env.actionSpace());
    if (maxEpisodeSteps <= 0) {
      throw new IllegalArgumentException(
          "TimeLimit maxEpisodeSteps must be positive, got " + maxEpisodeSteps);
    }
    this.maxEpisodeSteps = maxEpisodeSteps;
  }

  public int maxEpisodeSteps() {
    return maxEpisodeSteps;
  }

  /** Steps since the last reset. */
  public int elapsedSteps() {
    return elapsedSteps;
  }

  @Override
  public Reset<O> reset(Long seed, Map<String, Object> options) {
    elapsedSteps = 0;
    return env.reset(seed, options);
  }

  @Override
  public Step<O> step(A action) {
    Step<O> s = env.step(action);
    elapsedSteps++;
    return elapsedSteps >= maxEpisodeSteps && !s.truncated() ? s.withTruncated(true) : s;
  }
}
