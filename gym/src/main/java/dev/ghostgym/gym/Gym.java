package dev.ghostgym.gym;

import dev.ghostgym.gym.sched.GhostEnvs;
import dev.ghostgym.gym.vector.AsyncVectorEnv;
import dev.ghostgym.gym.vector.SyncVectorEnv;
import dev.ghostgym.gym.vector.VectorEnv;
import dev.ghostgym.gym.wrappers.OrderEnforcing;
import dev.ghostgym.gym.wrappers.TimeLimit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The environment registry and factory (Gymnasium's {@code gymnasium.register}, {@code make},
 * {@code make_vec}, {@code registry}). One registry per JVM, in registration order, safe to use
 * from several threads.
 */
public final class Gym {
  private static final Map<String, EnvSpec> REGISTRY = new LinkedHashMap<>();
  private static final System.Logger LOG = System.getLogger(Gym.class.getName());

  static {
    // The scheduling environments are always there, as Gymnasium's built-in ids are.
    GhostEnvs.registerAll();
  }

  /** How {@link #makeVec} runs its envs. */
  public enum VectorizationMode {
    SYNC,
    ASYNC
  }

  private Gym() {}

  /**
   * Registers {@code spec}; an id registered before is replaced, with a warning, as Gymnasium does.
   */
  public static void register(EnvSpec spec) {
    synchronized (REGISTRY) {
      if (REGISTRY.put(spec.id(), spec) != null) {
        LOG.log(
            System.Logger.Level.WARNING,
            "Overriding environment " + spec.id() + " already in registry.");
      }
    }
  }

  /**
   * Removes {@code id} from the registry (Gymnasium: {@code del gymnasium.registry[id]}); true if
   * it was there.
   */
  public static boolean unregister(String id) {
    synchronized (REGISTRY) {
      return REGISTRY.remove(id) != null;
    }
  }

  /** A snapshot of the registry: id to spec, in registration order. */
  public static Map<String, EnvSpec> registry() {
    synchronized (REGISTRY) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(REGISTRY));
    }
  }

  /**
   * The spec registered under {@code id}, or an IllegalArgumentException listing the registered
   * ids.
   */
  public static EnvSpec spec(String id) {
    EnvId parsed = EnvId.parse(id);
    synchronized (REGISTRY) {
      EnvSpec spec = REGISTRY.get(id);
      if (spec == null) {
        throw new IllegalArgumentException(
            unknownIdMessage(id, parsed, new ArrayList<>(REGISTRY.keySet())));
      }
      return spec;
    }
  }

  /** {@code make(id, Map.of())}. */
  public static <O, A> Env<O, A> make(String id) {
    return make(id, Map.of(), null);
  }

  /**
   * Makes the env registered as {@code id} with its default options overridden by {@code options}.
   */
  public static <O, A> Env<O, A> make(String id, Map<String, Object> options) {
    return make(id, options, null);
  }

  /**
   * {@link #make(String, Map)} with a step limit replacing the spec's, when not null (Gymnasium's
   * {@code max_episode_steps}).
   */
  public static <O, A> Env<O, A> make(
      String id, Map<String, Object> options, Integer maxEpisodeSteps) {
    return make(spec(id), options, maxEpisodeSteps);
  }

  /**
   * Makes an env from {@code spec} as Gymnasium's {@code make}: options are the spec's defaults
   * overridden by {@code options}; the env is wrapped in {@link OrderEnforcing}, then in {@link
   * TimeLimit} when a step limit is set (the spec's, or {@code maxEpisodeSteps} when not null); the
   * unwrapped env's {@link Env#spec()} is the spec with the options and limit actually used.
   * Gymnasium's passive env checker is not applied: run {@link EnvChecker} instead.
   *
   * <p>The type parameters are the caller's assertion about the env's types, unchecked.
   */
  @SuppressWarnings("unchecked")
  public static <O, A> Env<O, A> make(
      EnvSpec spec, Map<String, Object> options, Integer maxEpisodeSteps) {
    LinkedHashMap<String, Object> merged = new LinkedHashMap<>(spec.defaultOptions());
    if (options != null) {
      merged.putAll(options);
    }
    Env<O, A> env = (Env<O, A>) spec.entryPoint().apply(Collections.unmodifiableMap(merged));
    if (env == null) {
      throw new IllegalStateException("entry point of " + spec.id() + " returned null");
    }
    Integer limit = maxEpisodeSteps != null ? maxEpisodeSteps : spec.maxEpisodeSteps();
    env.unwrapped().setSpec(spec.withDefaultOptions(merged).withMaxEpisodeSteps(limit));
    env = new OrderEnforcing<>(env);
    if (limit != null) {
      env = new TimeLimit<>(env, limit);
    }
    return env;
  }

  /**
   * {@code numEnvs} envs made by {@link #make(String, Map)} in a {@link SyncVectorEnv} or an {@link
   * AsyncVectorEnv} (Gymnasium's {@code make_vec} with {@code vectorization_mode}).
   */
  public static <O, A> VectorEnv<O, A> makeVec(
      String id, int numEnvs, Map<String, Object> options, VectorizationMode mode) {
    EnvSpec spec = spec(id);
    List<Supplier<Env<O, A>>> fns = new ArrayList<>();
    for (int i = 0; i < numEnvs; i++) {
      fns.add(() -> make(spec, options, null));
    }
    return mode == VectorizationMode.SYNC ? new SyncVectorEnv<>(fns) : new AsyncVectorEnv<>(fns);
  }

  private static String unknownIdMessage(String id, EnvId parsed, List<String> ids) {
    StringBuilder sb = new StringBuilder("Unknown environment id '").append(id).append("'.");
    if (ids.isEmpty()) {
      return sb.append(" No environments are registered.").toString();
    }
    List<String> versions = new ArrayList<>();
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (String known : ids) {
      EnvId k = EnvId.parse(known);
      if (k.unversioned().equals(parsed.unversioned()) && k.version() != null) {
        versions.add("v" + k.version());
      }
      int d = editDistance(id.toLowerCase(), known.toLowerCase());
      if (d < best) {
        best = d;
        closest = known;
      }
    }
    if (!versions.isEmpty()) {
      sb.append(" '")
          .append(parsed.unversioned())
          .append("' is registered with versions ")
          .append(String.join(", ", versions))
          .append('.');
    }
    if (closest != null && best <= Math.max(3, id.length() / 2)) {
      sb.append(" Did you mean '").append(closest).append("'?");
    }
    return sb.append(" Registered ids: ").append(String.join(", ", ids)).toString();
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
