package dev.ghostgym.gym.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.testenvs.ScriptedEnv;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizeRewardTest {
  private static final double[] REWARDS = {1, 2, -1, 3, 0.5};

  /**
   * The variance RunningMeanStd holds after folding in xs, computed directly: the prior is a point
   * mass of weight 1e-4 at 0 with variance 1, so var = (1e-4 (1 + m^2) + sum (x - m)^2) / (1e-4 +
   * k) with m = sum x / (1e-4 + k).
   */
  private static double directVar(List<Double> xs) {
    double eps = 1e-4;
    double sum = 0;
    for (double x : xs) {
      sum += x;
    }
    double m = sum / (eps + xs.size());
    double m2 = eps * (1 + m * m);
    for (double x : xs) {
      m2 += (x - m) * (x - m);
    }
    return m2 / (eps + xs.size());
  }

  @Test
  void rewardsAreScaledByTheRunningStdOfTheDiscountedReturn() {
    double gamma = 0.9;
    double epsilon = 1e-8;
    NormalizeReward<Integer, Integer> env =
        new NormalizeReward<>(new ScriptedEnv(3, REWARDS), gamma, epsilon);
    env.reset(0);
    List<Double> returns = new ArrayList<>();
    double g = 0;
    for (int step = 0; step < 12; step++) {
      Step<Integer> s = env.step(0);
      double r = REWARDS[step % REWARDS.length];
      boolean terminal = step % 3 == 2;
      g = g * gamma * (terminal ? 0 : 1) + r;
      returns.add(g);
      assertEquals(g, env.discountedReward(), 1e-12);
      double expected = r / Math.sqrt(directVar(returns) + epsilon);
      assertEquals(expected, s.reward(), 1e-9 * Math.abs(expected), "step " + step);
      if (s.terminated()) {
        env.reset();
      }
    }
    // Gymnasium's quirks, kept: G restarts from the terminal reward alone and survives reset
    assertEquals(-1.0, returns.get(2), 1e-12);
    assertEquals(-1.0 * 0.9 + 3.0, returns.get(3), 1e-12);
    assertEquals(12 + 1e-4, env.returnRms().count(), 1e-12);
  }

  @Test
  void frozenStatisticsStillScaleButDoNotMove() {
    NormalizeReward<Integer, Integer> env = new NormalizeReward<>(new ScriptedEnv(0, REWARDS));
    env.reset(0);
    env.step(0);
    env.step(0);
    double var = env.returnRms().var();
    env.setUpdateRunningMean(false);
    Step<Integer> s = env.step(0);
    assertEquals(var, env.returnRms().var());
    assertEquals(-1 / Math.sqrt(var + 1e-8), s.reward(), 1e-12);
  }

  @Test
  void runningMeanStdMatchesBatchMoments() {
    RunningMeanStd rms = new RunningMeanStd();
    rms.updateFromMoments(2.0, 4.0, 10);
    rms.update(5.0);
    double eps = 1e-4;
    double mean1 = 2.0 * 10 / (eps + 10);
    double var1 = (eps * 1 + 4.0 * 10 + 4.0 * eps * 10 / (eps + 10)) / (eps + 10);
    double delta = 5.0 - mean1;
    assertEquals(mean1 + delta / (eps + 11), rms.mean(), 1e-12);
    assertEquals(
        (var1 * (eps + 10) + delta * delta * (eps + 10) / (eps + 11)) / (eps + 11),
        rms.var(),
        1e-12);
  }
}
