package dev.ghostgym.gym.wrappers;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Discrete;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Reads the action mask a Discrete-action env publishes in {@code info["action_mask"]} (a
 * boolean[], or int[] / byte[] of 0 and 1 as Gymnasium's int8 masks, one entry per action, true/1 =
 * allowed) after each reset and step, and offers it: {@link #actionMask()}, {@link #isValid(int)},
 * {@link #sampleValid(SplittableRandom)}. It does not change what the env does with an invalid
 * action. With no mask in the info every action is allowed. The static forms serve vector envs'
 * per-env infos.
 */
public final class ActionMasking<O> extends Wrapper<O, Integer, O, Integer> {
  /** The info key holding the mask. */
  public static final String INFO_KEY = "action_mask";

  private final Discrete space;
  private boolean[] mask;

  public ActionMasking(Env<O, Integer> env) {
    super(env, env.observationSpace(), env.actionSpace());
    if (!(env.actionSpace() instanceof Discrete d)) {
      throw new IllegalArgumentException(
          "ActionMasking needs a Discrete action space, " + env + " has " + env.actionSpace());
    }
    this.space = d;
  }

  @Override
  public Reset<O> reset(Long seed, Map<String, Object> options) {
    Reset<O> r = env.reset(seed, options);
    mask = maskOf(r.info(), space);
    return r;
  }

  @Override
  public Step<O> step(Integer action) {
    Step<O> s = env.step(action);
    mask = maskOf(s.info(), space);
    return s;
  }

  /**
   * The current mask indexed by {@code action - start}, all true when the env gave none (a copy).
   */
  public boolean[] actionMask() {
    if (mask == null) {
      boolean[] all = new boolean[space.n()];
      Arrays.fill(all, true);
      return all;
    }
    return mask.clone();
  }

  /** Whether {@code action} is in the action space and allowed by the current mask. */
  public boolean isValid(int action) {
    int i = action - space.start();
    return i >= 0 && i < space.n() && (mask == null || mask[i]);
  }

  /**
   * A uniformly random allowed action; as Gymnasium's masked sampling, {@code start} if none is
   * allowed.
   */
  public int sampleValid(SplittableRandom rng) {
    return space.sample(rng, mask);
  }

  /**
   * The mask in {@code info} as booleans, or null when the info has none; an error naming the
   * problem when it has the wrong type, length or values.
   */
  public static boolean[] maskOf(Map<String, Object> info, Discrete space) {
    Object m = info.get(INFO_KEY);
    if (m == null) {
      return null;
    }
    boolean[] out = new boolean[space.n()];
    int length;
    if (m instanceof boolean[] b) {
      length = b.length;
      if (length == out.length) {
        System.arraycopy(b, 0, out, 0, length);
      }
    } else if (m instanceof int[] b) {
      length = b.length;
      for (int i = 0; i < Math.min(length, out.length); i++) {
        out[i] = bit(b[i], i);
      }
    } else if (m instanceof byte[] b) {
      length = b.length;
      for (int i = 0; i < Math.min(length, out.length); i++) {
        out[i] = bit(b[i], i);
      }
    } else {
      throw new IllegalArgumentException(
          "info['"
              + INFO_KEY
              + "'] must be a boolean[], int[] or byte[], got "
              + m.getClass().getSimpleName());
    }
    if (length != out.length) {
      throw new IllegalArgumentException(
          "info['"
              + INFO_KEY
              + "'] has length "
              + length
              + ", expected "
              + out.length
              + " for the action space "
              + space);
    }
    return out;
  }

  /**
   * A uniformly random action allowed by {@code info}'s mask (any action without a mask), drawn
   * from {@code rng}.
   */
  public static int sampleValid(Discrete space, Map<String, Object> info, SplittableRandom rng) {
    return space.sample(rng, maskOf(info, space));
  }

  private static boolean bit(int v, int i) {
    if (v != 0 && v != 1) {
      throw new IllegalArgumentException(
          "info['" + INFO_KEY + "'] must hold only 0 and 1, got " + v + " at index " + i);
    }
    return v == 1;
  }
}
