package dev.ghostgym.gym.wrappers;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import java.util.Map;

/**
 * Scales rewards by the running standard deviation of the discounted return, exactly as Gymnasium
 * 1.x's {@code NormalizeReward(gamma=0.99, epsilon=1e-8)}: on each step {@code G = G * gamma * (1 -
 * terminated) + r}, the {@link RunningMeanStd} is updated with G (unless frozen with {@link
 * #setUpdateRunningMean}), and the reward returned is {@code r / sqrt(var + epsilon)} (not centred,
 * as in Gymnasium). Like Gymnasium, G is neither cleared by reset nor by truncation, and on a
 * terminating step it restarts from that step's reward alone.
 */
public final class NormalizeReward<O, A> extends Wrapper<O, A, O, A> {
  private final double gamma;
  private final double epsilon;
  private final RunningMeanStd returnRms = new RunningMeanStd();
  private double discountedReward;
  private boolean updateRunningMean = true;

  public NormalizeReward(Env<O, A> env) {
    this(env, 0.99, 1e-8);
  }

  public NormalizeReward(Env<O, A> env, double gamma, double epsilon) {
    super(env, env.observationSpace(), env.actionSpace());
    if (!(gamma >= 0 && gamma <= 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException(
          "NormalizeReward needs 0 <= gamma <= 1 and epsilon > 0, got gamma="
              + gamma
              + ", epsilon="
              + epsilon);
    }
    this.gamma = gamma;
    this.epsilon = epsilon;
  }

  @Override
  public Reset<O> reset(Long seed, Map<String, Object> options) {
    return env.reset(seed, options);
  }

  @Override
  public Step<O> step(A action) {
    Step<O> s = env.step(action);
    discountedReward = discountedReward * gamma * (s.terminated() ? 0 : 1) + s.reward();
    if (updateRunningMean) {
      returnRms.update(discountedReward);
    }
    return s.withReward(s.reward() / Math.sqrt(returnRms.var() + epsilon));
  }

  /**
   * Freezes (false) or resumes (true) the statistics, as Gymnasium's {@code update_running_mean};
   * e.g. for evaluation.
   */
  public void setUpdateRunningMean(boolean value) {
    updateRunningMean = value;
  }

  public boolean updateRunningMean() {
    return updateRunningMean;
  }

  /** The running statistics of the discounted return. */
  public RunningMeanStd returnRms() {
    return returnRms;
  }

  /** The current discounted return G. */
  public double discountedReward() {
    return discountedReward;
  }
}
