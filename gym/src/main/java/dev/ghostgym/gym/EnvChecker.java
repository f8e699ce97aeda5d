package dev.ghostgym.gym;

import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.spaces.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Checks an env against the {@link Env} contract, as Gymnasium's {@code check_env}: spaces accept
 * their own samples; reset and step run and return a Map info; every observation lies in the
 * observation space; {@code reset(seed)} twice gives the same observation; two runs from the same
 * seed with the same actions give identical observations, rewards, terminated and truncated;
 * sampled actions (masked by {@code info["action_mask"]} when the env publishes one) are accepted
 * by step; rewards are finite; {@code close} can be called twice. The first failure throws {@link
 * EnvCheckError} naming its check; success returns a {@link CheckReport}.
 *
 * <p>Every observation is deep-copied the moment it is returned and compared by content, so an env
 * that returns the same buffer again and again cannot pass the determinism checks by comparing an
 * object with itself (Gymnasium issue #1681), and the checker never modifies what the env returned.
 * An env that mutates an observation it already returned gets a warning. Rollouts run through
 * episode ends (reset with no seed, continuing the generator) for {@code steps} steps. Infos are
 * not compared for determinism (they may carry wall-clock metrics); a differing info is a warning.
 * Envs whose spec says {@code nondeterministic} skip the determinism checks, as in Gymnasium.
 *
 * <p>Closing: when the env has a spec, a fresh env made from it is closed twice (as Gymnasium does)
 * and the given env is left open; without a spec the given env itself is closed twice, last.
 */
public final class EnvChecker {
  public static final String SPACES = "spaces";
  public static final String RESET = "reset";
  public static final String RESET_OBSERVATION = "reset-observation";
  public static final String RESET_DETERMINISM = "reset-determinism";
  public static final String ACTION_SAMPLES = "action-samples";
  public static final String STEP_INFO = "step-info";
  public static final String STEP_OBSERVATION = "step-observation";
  public static final String STEP_REWARD = "step-reward";
  public static final String STEP_DETERMINISM = "step-determinism";
  public static final String CLOSE = "close-idempotent";

  /** Gymnasium's {@code check_env} seed. */
  public static final long DEFAULT_SEED = 123;

  public static final int DEFAULT_STEPS = 100;

  private EnvChecker() {}

  public static CheckReport check(Env<?, ?> env) {
    return check(env, DEFAULT_SEED, DEFAULT_STEPS);
  }

  /**
   * Checks with reset seed {@code seed} (the action sampler is seeded with it too) and rollouts of
   * {@code steps} steps.
   */
  @SuppressWarnings("unchecked")
  public static CheckReport check(Env<?, ?> env, long seed, int steps) {
    return new Run((Env<Object, Object>) env, seed, steps).check();
  }

  /** One action and what followed it, or a reset, copied at once. */
  private record Entry(
      String call,
      Object observation,
      double reward,
      boolean terminated,
      boolean truncated,
      Map<String, Object> info) {}

  private static final class Run {
    private final Env<Object, Object> env;
    private final long seed;
    private final int steps;
    private final List<String> passed = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private Space<Object> obsSpace;
    private Space<Object> actSpace;
    private boolean warnedMutation;

    Run(Env<Object, Object> env, long seed, int steps) {
      this.env = env;
      this.seed = seed;
      this.steps = steps;
    }

    CheckReport check() {
      checkSpaces();
      boolean deterministic = env.spec() == null || !env.spec().nondeterministic();
      checkReset(deterministic);
      List<Entry> a = rollout();
      passed.add(
          ACTION_SAMPLES
              + ": "
              + steps
              + " sampled actions accepted by step"
              + " (masked by info['action_mask'] where given)");
      passed.add(STEP_OBSERVATION + ": every observation after step and reset is in " + obsSpace);
      passed.add(STEP_INFO + ": every info is a Map");
      passed.add(
          STEP_REWARD
              + ": every reward is a finite double; terminated/truncated are booleans by type");
      if (deterministic) {
        List<Entry> b = rollout();
        compare(a, b);
        passed.add(
            STEP_DETERMINISM
                + ": two runs from reset(seed="
                + seed
                + ") with the same "
                + steps
                + " actions gave identical observations, rewards, terminated and truncated");
      } else {
        skipped.add(STEP_DETERMINISM + ": spec " + env.spec().id() + " is nondeterministic");
      }
      checkClose();
      return new CheckReport(env.toString(), passed, skipped, warnings);
    }

    private void checkSpaces() {
      obsSpace = env.observationSpace();
      actSpace = env.actionSpace();
      if (obsSpace == null || actSpace == null) {
        throw new EnvCheckError(
            SPACES,
            env
                + " has observation space "
                + obsSpace
                + " and action space "
                + actSpace
                + "; both must be non-null");
      }
      SplittableRandom rng = new SplittableRandom(seed);
      for (Space<Object> space : List.of(obsSpace, actSpace)) {
        String why = space.mismatch(space.sample(rng));
        if (why != null) {
          throw new EnvCheckError(SPACES, space + " rejects its own sample: " + why);
        }
      }
      passed.add(SPACES + ": observation " + obsSpace + ", action " + actSpace);
    }

    private void checkReset(boolean deterministic) {
      Reset<Object> r1 = reset(seed);
      Object original = r1.observation();
      Object first = Values.deepCopy(original);
      passed.add(RESET + ": reset(seed=" + seed + ") returns an observation and a Map info");
      passed.add(RESET_OBSERVATION + ": the reset observation is in " + obsSpace);
      if (env.npRandomSeed() == null || env.npRandomSeed() != seed) {
        warnings.add(
            "reset(seed="
                + seed
                + ") did not seed npRandom() (npRandomSeed() = "
                + env.npRandomSeed()
                + "): call seedNpRandom(seed) first in reset, as Gymnasium's super().reset(seed=seed)");
      }
      if (!deterministic) {
        skipped.add(RESET_DETERMINISM + ": spec " + env.spec().id() + " is nondeterministic");
        return;
      }
      reset(null);
      Object again = Values.deepCopy(reset(seed).observation());
      String diff = Values.firstDifference(first, again);
      if (diff != null) {
        throw new EnvCheckError(
            RESET_DETERMINISM,
            "reset(seed="
                + seed
                + ") twice gave different observations, first difference at observation"
                + diff
                + " (reset must re-seed every random source from the seed)");
      }
      noteMutation(original, first, "reset");
      passed.add(RESET_DETERMINISM + ": reset(seed=" + seed + ") twice gave the same observation");
    }

    private Reset<Object> reset(Long s) {
      String call = "reset(seed=" + s + ")";
      Reset<Object> r;
      try {
        r = env.reset(s, Map.of());
      } catch (RuntimeException e) {
        throw new EnvCheckError(RESET, call + " threw " + e, e);
      }
      if (r == null) {
        throw new EnvCheckError(RESET, call + " returned null");
      }
      String why = obsSpace.mismatch(r.observation());
      if (why != null) {
        throw new EnvCheckError(
            RESET_OBSERVATION,
            "the observation after " + call + " is not in the observation space: " + why);
      }
      return r;
    }

    private List<Entry> rollout() {
      List<Entry> trace = new ArrayList<>();
      Reset<Object> r = reset(seed);
      trace.add(
          new Entry(
              "reset(seed=" + seed + ")",
              Values.deepCopy(r.observation()),
              0,
              false,
              false,
              copyInfo(r.info())));
      Map<String, Object> info = r.info();
      SplittableRandom rng = new SplittableRandom(seed);
      Object lastObject = r.observation();
      Object lastCopy = trace.get(0).observation();
      for (int t = 0; t < steps; t++) {
        Object mask = info.get("action_mask");
        Object action = sampleAction(rng, mask, t);
        String call = "step " + t + " (action " + shorten(Values.toString(action)) + ")";
        Step<Object> s = checkedStep(action, call);
        noteMutation(lastObject, lastCopy, call);
        Entry e =
            new Entry(
                call,
                Values.deepCopy(s.observation()),
                s.reward(),
                s.terminated(),
                s.truncated(),
                copyInfo(s.info()));
        trace.add(e);
        lastObject = s.observation();
        lastCopy = e.observation();
        info = s.info();
        if (s.done()) {
          r = reset(null);
          noteMutation(lastObject, lastCopy, "reset(seed=null)");
          trace.add(
              new Entry(
                  "reset(seed=null) after " + call,
                  Values.deepCopy(r.observation()),
                  0,
                  false,
                  false,
                  copyInfo(r.info())));
          lastObject = r.observation();
          lastCopy = trace.get(trace.size() - 1).observation();
          info = r.info();
        }
      }
      return trace;
    }

    /** A sampled action (masked by {@code mask} if given), checked to be in the action space. */
    private Object sampleAction(SplittableRandom rng, Object mask, int t) {
      Object action;
      try {
        action = mask == null ? actSpace.sample(rng) : actSpace.sample(rng, mask);
      } catch (RuntimeException e) {
        throw new EnvCheckError(
            ACTION_SAMPLES,
            "cannot sample an action from "
                + actSpace
                + " with info['action_mask'] = "
                + shorten(Values.toString(mask))
                + " at step "
                + t
                + ": "
                + e,
            e);
      }
      String whyAction = actSpace.mismatch(action);
      if (whyAction != null) {
        throw new EnvCheckError(
            ACTION_SAMPLES, "the sampled action is not in the action space: " + whyAction);
      }
      return action;
    }

    /**
     * {@code env.step(action)}, checked: no throw, not null, observation in space, reward finite.
     */
    private Step<Object> checkedStep(Object action, String call) {
      Step<Object> s;
      try {
        s = env.step(action);
      } catch (NullPointerException e) {
        if (String.valueOf(e.getMessage()).startsWith("step info must be")) {
          throw new EnvCheckError(STEP_INFO, call + " returned a null info: " + e.getMessage(), e);
        }
        throw new EnvCheckError(ACTION_SAMPLES, call + " threw " + e, e);
      } catch (RuntimeException e) {
        throw new EnvCheckError(
            ACTION_SAMPLES,
            call
                + " threw "
                + e
                + " (step must accept every sampled action that info['action_mask'] allows)",
            e);
      }
      if (s == null) {
        throw new EnvCheckError(ACTION_SAMPLES, call + " returned null");
      }
      String why = obsSpace.mismatch(s.observation());
      if (why != null) {
        throw new EnvCheckError(
            STEP_OBSERVATION,
            "the observation after " + call + " is not in the observation space: " + why);
      }
      if (!Double.isFinite(s.reward())) {
        throw new EnvCheckError(
            STEP_REWARD,
            call + " returned reward " + s.reward() + "; rewards must be finite doubles");
      }
      return s;
    }

    private void compare(List<Entry> a, List<Entry> b) {
      String where = "two runs from reset(seed=" + seed + ") with the same actions differ";
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        Entry x = a.get(i);
        Entry y = b.get(i);
        String at = where + " at " + x.call();
        if (!x.call().equals(y.call())) {
          throw new EnvCheckError(
              STEP_DETERMINISM,
              where + ": call " + i + " was '" + x.call() + "' then '" + y.call() + "'");
        }
        String diff = Values.firstDifference(x.observation(), y.observation());
        if (diff != null) {
          throw new EnvCheckError(STEP_DETERMINISM, at + ": observation" + diff);
        }
        if (Double.compare(x.reward(), y.reward()) != 0) {
          throw new EnvCheckError(
              STEP_DETERMINISM, at + ": reward " + x.reward() + " vs " + y.reward());
        }
        if (x.terminated() != y.terminated() || x.truncated() != y.truncated()) {
          throw new EnvCheckError(
              STEP_DETERMINISM,
              at
                  + ": terminated/truncated "
                  + x.terminated()
                  + "/"
                  + x.truncated()
                  + " vs "
                  + y.terminated()
                  + "/"
                  + y.truncated());
        }
        String infoDiff = Values.firstDifference(x.info(), y.info());
        if (infoDiff != null && warnings.stream().noneMatch(w -> w.startsWith("info differs"))) {
          warnings.add(
              "info differs between two identical runs at "
                  + x.call()
                  + ": info"
                  + infoDiff
                  + " (fine for wall-clock metrics, not for anything a policy reads)");
        }
      }
      if (a.size() != b.size()) {
        throw new EnvCheckError(
            STEP_DETERMINISM, where + ": " + a.size() + " vs " + b.size() + " calls");
      }
    }

    private void checkClose() {
      EnvSpec spec = env.spec();
      Env<?, ?> target = env;
      String what = "the given env (now closed)";
      if (spec != null) {
        try {
          target = Gym.make(spec, spec.defaultOptions(), spec.maxEpisodeSteps());
          what = "a fresh env made from spec " + spec.id();
        } catch (RuntimeException e) {
          throw new EnvCheckError(
              CLOSE,
              "could not make a fresh env from spec " + spec.id() + " to check close(): " + e,
              e);
        }
      }
      try {
        target.close();
      } catch (RuntimeException e) {
        throw new EnvCheckError(CLOSE, "close() on " + what + " threw " + e, e);
      }
      try {
        target.close();
      } catch (RuntimeException e) {
        throw new EnvCheckError(
            CLOSE, "a second close() on " + what + " threw " + e + "; close must be idempotent", e);
      }
      passed.add(CLOSE + ": close() twice on " + what);
    }

    private void noteMutation(Object returned, Object copy, String laterCall) {
      if (!warnedMutation && returned != null && !Values.deepEquals(returned, copy)) {
        warnedMutation = true;
        warnings.add(
            "an observation the env had returned was modified by the later call "
                + laterCall
                + " (the env reuses its buffers): callers that store observations must copy them");
      }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copyInfo(Map<String, Object> info) {
      return (Map<String, Object>) Values.deepCopy(info);
    }

    private static String shorten(String s) {
      return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
  }
}
