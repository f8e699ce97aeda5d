package dev.ghostgym.gym;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How to make a registered environment (Gymnasium's {@code EnvSpec}): its id ({@code
 * namespace/Name-vN}, validated by {@link EnvId#parse}), the factory (Gymnasium's {@code
 * entry_point}) that builds the env from options, the step limit {@link Gym#make} enforces with
 * {@code TimeLimit} (null for none), the default options merged under the caller's (Gymnasium's
 * {@code kwargs}), and whether the env is nondeterministic even when seeded (a live kernel), which
 * makes {@link EnvChecker} skip its determinism checks as Gymnasium's {@code check_env} does.
 */
public record EnvSpec(
    String id,
    Function<Map<String, Object>, Env<?, ?>> entryPoint,
    Integer maxEpisodeSteps,
    Map<String, Object> defaultOptions,
    boolean nondeterministic) {
  public EnvSpec {
    EnvId.parse(id);
    Objects.requireNonNull(entryPoint, () -> "entry point of " + id + " must not be null");
    if (maxEpisodeSteps != null && maxEpisodeSteps <= 0) {
      throw new IllegalArgumentException(
          "maxEpisodeSteps of " + id + " must be positive or null, got " + maxEpisodeSteps);
    }
    defaultOptions =
        defaultOptions == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(defaultOptions));
  }

  /** A spec with no step limit, no default options, deterministic. */
  public static EnvSpec of(String id, Function<Map<String, Object>, Env<?, ?>> entryPoint) {
    return new EnvSpec(id, entryPoint, null, Map.of(), false);
  }

  public EnvSpec withMaxEpisodeSteps(Integer steps) {
    return new EnvSpec(id, entryPoint, steps, defaultOptions, nondeterministic);
  }

  public EnvSpec withDefaultOptions(Map<String, Object> options) {
    return new EnvSpec(id, entryPoint, maxEpisodeSteps, options, nondeterministic);
  }

  public EnvSpec withNondeterministic(boolean value) {
    return new EnvSpec(id, entryPoint, maxEpisodeSteps, defaultOptions, value);
  }

  /** The parsed id. */
  public EnvId parsedId() {
    return EnvId.parse(id);
  }

  public String namespace() {
    return parsedId().namespace();
  }

  public String name() {
    return parsedId().name();
  }

  public Integer version() {
    return parsedId().version();
  }

  @Override
  public String toString() {
    return "EnvSpec[id="
        + id
        + ", maxEpisodeSteps="
        + maxEpisodeSteps
        + ", defaultOptions="
        + defaultOptions
        + ", nondeterministic="
        + nondeterministic
        + "]";
  }
}
