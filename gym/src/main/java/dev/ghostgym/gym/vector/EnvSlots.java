package dev.ghostgym.gym.vector;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Space;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The sub-envs of a vector env and the work on a range of them: create, reset, step with next-step
 * autoreset, close. The caller sets the request fields, runs ranges (possibly on several threads,
 * each range owned by one thread), then collects the result; ranges touch disjoint indices only.
 */
final class EnvSlots<O, A> {
  private final List<? extends Supplier<? extends Env<O, A>>> factories;
  private final Object[] envs;
  private final boolean[] autoreset;
  private AutoresetMode mode = AutoresetMode.NEXT_STEP;
  private boolean hasReset;

  // request
  private Long seed;
  private Map<String, Object> options;
  private Object[] actions;

  // result
  private Object[] observations;
  private double[] rewards;
  private boolean[] terminated;
  private boolean[] truncated;
  private Object[] infos;

  EnvSlots(List<? extends Supplier<? extends Env<O, A>>> factories) {
    if (factories.isEmpty()) {
      throw new IllegalArgumentException("a vector env needs at least one env factory");
    }
    this.factories = List.copyOf(factories);
    this.envs = new Object[factories.size()];
    this.autoreset = new boolean[factories.size()];
  }

  int size() {
    return envs.length;
  }

  void autoresetMode(AutoresetMode mode) {
    this.mode = java.util.Objects.requireNonNull(mode, "autoreset mode");
  }

  AutoresetMode autoresetMode() {
    return mode;
  }

  @SuppressWarnings("unchecked")
  Env<O, A> env(int i) {
    return (Env<O, A>) envs[i];
  }

  void createRange(int from, int to) {
    for (int i = from; i < to; i++) {
      try {
        Env<O, A> env = factories.get(i).get();
        if (env == null) {
          throw new IllegalStateException("factory returned null");
        }
        envs[i] = env;
      } catch (RuntimeException e) {
        throw failure(i, "creation", e);
      }
    }
  }

  /** After creation: every sub-env must have env 0's spaces. */
  void checkSpaces() {
    Space<O> obs = env(0).observationSpace();
    Space<A> act = env(0).actionSpace();
    for (int i = 1; i < envs.length; i++) {
      if (!env(i).observationSpace().equals(obs) || !env(i).actionSpace().equals(act)) {
        throw new IllegalArgumentException(
            "sub-env "
                + i
                + " has spaces ("
                + env(i).observationSpace()
                + ", "
                + env(i).actionSpace()
                + ") but sub-env 0 has ("
                + obs
                + ", "
                + act
                + "); all must be equal");
      }
    }
  }

  void prepareReset(Long seed, Map<String, Object> options) {
    this.seed = seed;
    this.options = options;
    this.observations = new Object[envs.length];
    this.infos = new Object[envs.length];
  }

  void resetRange(int from, int to) {
    for (int i = from; i < to; i++) {
      try {
        Reset<O> r = env(i).reset(seed == null ? null : seed + i, options);
        observations[i] = r.observation();
        infos[i] = r.info();
        autoreset[i] = false;
      } catch (RuntimeException e) {
        throw failure(i, "reset", e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  VectorReset<O> resetResult() {
    hasReset = true;
    return new VectorReset<>(list(observations), (List<Map<String, Object>>) (List<?>) list(infos));
  }

  void prepareStep(Object[] actions) {
    if (!hasReset) {
      throw new IllegalStateException("Cannot call step() on a vector env before resetAll()");
    }
    if (actions.length != envs.length) {
      throw new IllegalArgumentException(
          "step got " + actions.length + " actions for " + envs.length + " envs");
    }
    this.actions = actions;
    this.observations = new Object[envs.length];
    this.rewards = new double[envs.length];
    this.terminated = new boolean[envs.length];
    this.truncated = new boolean[envs.length];
    this.infos = new Object[envs.length];
  }

  /**
   * Gymnasium 1.x's NEXT_STEP autoreset (SyncVectorEnv.step): an env that ended last step is reset
   * now.
   */
  @SuppressWarnings("unchecked")
  void stepRange(int from, int to) {
    for (int i = from; i < to; i++) {
      try {
        if (autoreset[i]) {
          Reset<O> r = env(i).reset(null, Map.of());
          observations[i] = r.observation();
          infos[i] = r.info();
        } else {
          Step<O> s = env(i).step((A) actions[i]);
          observations[i] = s.observation();
          rewards[i] = s.reward();
          terminated[i] = s.terminated();
          truncated[i] = s.truncated();
          infos[i] = s.info();
          if (mode == AutoresetMode.SAME_STEP && s.done()) {
            sameStepReset(i, s);
          }
        }
        autoreset[i] = mode == AutoresetMode.NEXT_STEP && (terminated[i] || truncated[i]);
      } catch (RuntimeException e) {
        throw failure(i, autoreset[i] ? "autoreset" : "step", e);
      }
    }
  }

  /**
   * Gymnasium's SAME_STEP: the ended env is reset now; its last observation and info go in the
   * reset info.
   */
  private void sameStepReset(int i, Step<O> last) {
    Reset<O> r = env(i).reset(null, Map.of());
    Map<String, Object> info = new java.util.LinkedHashMap<>(r.info());
    info.put(AutoresetMode.FINAL_OBS, last.observation());
    info.put(AutoresetMode.FINAL_INFO, last.info());
    observations[i] = r.observation();
    infos[i] = Collections.unmodifiableMap(info);
  }

  @SuppressWarnings("unchecked")
  VectorStep<O> stepResult() {
    return new VectorStep<>(
        list(observations),
        rewards,
        terminated,
        truncated,
        (List<Map<String, Object>>) (List<?>) list(infos));
  }

  /**
   * Closes every created env in the range, continuing past failures; returns the first failure or
   * null.
   */
  RuntimeException closeRange(int from, int to) {
    RuntimeException first = null;
    for (int i = from; i < to; i++) {
      try {
        if (envs[i] != null) {
          env(i).close();
        }
      } catch (RuntimeException e) {
        if (first == null) {
          first = failure(i, "close", e);
        }
      }
    }
    return first;
  }

  @SuppressWarnings("unchecked")
  List<Env<O, A>> envs() {
    return (List<Env<O, A>>) (List<?>) Collections.unmodifiableList(Arrays.asList(envs));
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> list(Object[] values) {
    return (List<T>) Collections.unmodifiableList(Arrays.asList(values));
  }

  private static IllegalStateException failure(int i, String what, RuntimeException e) {
    return new IllegalStateException("sub-env " + i + " failed in " + what + ": " + e, e);
  }
}
