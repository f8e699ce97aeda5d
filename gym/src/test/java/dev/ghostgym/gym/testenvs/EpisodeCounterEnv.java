package dev.ghostgym.gym.testenvs;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import java.util.Map;

/**
 * For vector-env tests: the observation is {@code 1000 * episode + 10 * t + d} where episode counts
 * resets, t is the step within the episode and d a seeded digit; episodes last a seeded 2 to 5
 * steps, ending by termination or (every third episode) truncation; reward is {@code action + t /
 * 2}. The info carries the episode, t and an int[] action mask. Counts step calls.
 */
public final class EpisodeCounterEnv extends Env<Integer, Integer> {
  private static final Discrete OBS = new Discrete(1_000_000);
  private static final Discrete ACT = new Discrete(3);
  private int episode = -1;
  private int t;
  private int length;
  public int stepCalls;
  public int closes;

  @Override
  public Reset<Integer> reset(Long seed, Map<String, Object> options) {
    seedNpRandom(seed);
    episode++;
    t = 0;
    length = 2 + npRandom().nextInt(4);
    return new Reset<>(observation(), info("reset"));
  }

  @Override
  public Step<Integer> step(Integer action) {
    stepCalls++;
    t++;
    boolean end = t >= length;
    boolean truncate = end && episode % 3 == 2;
    return new Step<>(observation(), action + t / 2.0, end && !truncate, truncate, info("step"));
  }

  private int observation() {
    return 1000 * episode + 10 * t + npRandom().nextInt(10);
  }

  private Map<String, Object> info(String call) {
    return Map.of("episode", episode, "t", t, "call", call, "action_mask", new int[] {1, t % 2, 1});
  }

  @Override
  public Space<Integer> observationSpace() {
    return OBS;
  }

  @Override
  public Space<Integer> actionSpace() {
    return ACT;
  }

  @Override
  public void close() {
    closes++;
  }
}
