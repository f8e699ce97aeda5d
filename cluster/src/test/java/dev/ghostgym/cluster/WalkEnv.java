package dev.ghostgym.cluster;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.EnvSpec;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Box;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import java.util.Map;

/**
 * A seeded test env: a position in [0, size) and seeded noise observed as a Box(2); actions 0..2
 * move -1, 0, +1 where the mask allows; episodes end at 0 or size - 1 (terminated) or after 12
 * steps (truncated). Reward = seeded noise + position. Info: mask, step count, a text field. With
 * {@code stall_ms} and {@code stall_seed}, the env first reset with that seed sleeps in its first
 * step.
 */
public final class WalkEnv extends Env<float[], Integer> {
  public static final String ID = "test/Walk-v0";
  private final int size;
  private final long stallMs;
  private final long stallSeed;
  private Long firstSeed;
  private boolean stalled;
  private int pos;
  private int t;
  private float noise;

  public WalkEnv(Map<String, Object> options) {
    size = ((Number) options.getOrDefault("size", 7)).intValue();
    stallMs = ((Number) options.getOrDefault("stall_ms", 0)).longValue();
    stallSeed = ((Number) options.getOrDefault("stall_seed", -1)).longValue();
  }

  static void register() {
    if (!Gym.registry().containsKey(ID)) {
      Gym.register(EnvSpec.of(ID, WalkEnv::new));
    }
  }

  @Override
  public Reset<float[]> reset(Long seed, Map<String, Object> options) {
    seedNpRandom(seed);
    if (firstSeed == null) {
      firstSeed = seed;
    }
    pos = 1 + npRandom().nextInt(size - 2);
    t = 0;
    noise = (float) npRandom().nextDouble();
    return new Reset<>(obs(), info());
  }

  @Override
  public Step<float[]> step(Integer action) {
    if (stallMs > 0 && !stalled && firstSeed != null && firstSeed == stallSeed) {
      stalled =
          true; // a silent node, once: the env's first step takes longer than the step timeout
      try {
        Thread.sleep(stallMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    pos = Math.max(0, Math.min(size - 1, pos + action - 1));
    t++;
    noise = (float) npRandom().nextDouble();
    boolean term = pos == 0 || pos == size - 1;
    return new Step<>(obs(), noise + pos, term, !term && t >= 12, info());
  }

  private float[] obs() {
    return new float[] {pos, noise};
  }

  private Map<String, Object> info() {
    return Map.of(
        "action_mask",
        new boolean[] {pos > 0, true, pos < size - 1},
        "t",
        t,
        "phase",
        t % 2 == 0 ? "even" : "odd");
  }

  @Override
  public Space<float[]> observationSpace() {
    return new Box(0f, size, 2);
  }

  @Override
  public Space<Integer> actionSpace() {
    return new Discrete(3);
  }
}
