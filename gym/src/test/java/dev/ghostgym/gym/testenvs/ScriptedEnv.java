package dev.ghostgym.gym.testenvs;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import java.util.Map;

/**
 * Plays a fixed script: the observation is the step count within the episode, step t returns {@code
 * rewards[t % rewards.length]}, and the episode terminates after {@code episodeLength} steps (never
 * when it is 0). Counts calls, for wrapper tests.
 */
public final class ScriptedEnv extends Env<Integer, Integer> {
  private final double[] rewards;
  private final int episodeLength;
  private int t;
  public int steps;
  public int resets;
  public Integer lastAction;

  public ScriptedEnv(int episodeLength, double... rewards) {
    this.rewards = rewards;
    this.episodeLength = episodeLength;
  }

  @Override
  public Reset<Integer> reset(Long seed, Map<String, Object> options) {
    seedNpRandom(seed);
    t = 0;
    resets++;
    return new Reset<>(0, Map.of());
  }

  @Override
  public Step<Integer> step(Integer action) {
    lastAction = action;
    double r = rewards[(steps++) % rewards.length];
    t++;
    return new Step<>(t, r, episodeLength > 0 && t >= episodeLength, false, Map.of("t", t));
  }

  @Override
  public Space<Integer> observationSpace() {
    return new Discrete(1_000_000);
  }

  @Override
  public Space<Integer> actionSpace() {
    return new Discrete(4);
  }
}
