package dev.ghostgym.gym.testenvs;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Box;
import dev.ghostgym.gym.spaces.Dict;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.MultiBinary;
import dev.ghostgym.gym.spaces.Space;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small seeded env shaped like the scheduling envs: a Dict observation, a Discrete action and an
 * action mask in the info. The counter starts at a seeded value in [3, maxStart]; action a
 * subtracts a + 1 and is allowed only while a + 1 <= remaining (an invalid action throws); reward
 * is a + 1 plus seeded noise; the episode terminates at 0.
 */
public final class CountdownEnv extends Env<Map<String, Object>, Integer> {
  private final int maxStart;
  private final Dict observationSpace;
  private final Discrete actionSpace = new Discrete(3);
  private int remaining;
  private int lastAction = -1;
  private float[] noise;
  public int closes;

  public CountdownEnv(Map<String, Object> options) {
    this.maxStart = ((Number) options.getOrDefault("max_start", 10)).intValue();
    this.observationSpace =
        Dict.builder()
            .put("remaining", new Discrete(maxStart + 1))
            .put("noise", new Box(0f, 1f, 2))
            .put("last_action", new MultiBinary(3))
            .build();
  }

  @Override
  public Reset<Map<String, Object>> reset(Long seed, Map<String, Object> options) {
    seedNpRandom(seed);
    remaining = 3 + npRandom().nextInt(maxStart - 2);
    lastAction = -1;
    drawNoise();
    return new Reset<>(observation(), info());
  }

  @Override
  public Step<Map<String, Object>> step(Integer action) {
    if (action < 0 || action > 2 || action + 1 > remaining) {
      throw new IllegalArgumentException(
          "action " + action + " is not allowed with " + remaining + " remaining");
    }
    remaining -= action + 1;
    lastAction = action;
    double reward = action + 1 + noise[0];
    drawNoise();
    return new Step<>(observation(), reward, remaining == 0, false, info());
  }

  private void drawNoise() {
    noise = new float[] {(float) npRandom().nextDouble(), (float) npRandom().nextDouble()};
  }

  private Map<String, Object> observation() {
    int[] last = new int[3];
    if (lastAction >= 0) {
      last[lastAction] = 1;
    }
    LinkedHashMap<String, Object> obs = new LinkedHashMap<>();
    obs.put("remaining", remaining);
    obs.put("noise", noise.clone());
    obs.put("last_action", last);
    return obs;
  }

  private Map<String, Object> info() {
    boolean[] mask = new boolean[3];
    for (int a = 0; a < 3; a++) {
      mask[a] = a + 1 <= remaining;
    }
    return Map.of("action_mask", mask, "remaining", remaining);
  }

  public int remaining() {
    return remaining;
  }

  @Override
  public Space<Map<String, Object>> observationSpace() {
    return observationSpace;
  }

  @Override
  public Space<Integer> actionSpace() {
    return actionSpace;
  }

  @Override
  public void close() {
    closes++;
  }
}
