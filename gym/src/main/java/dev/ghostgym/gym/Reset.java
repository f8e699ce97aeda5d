package dev.ghostgym.gym;

import dev.ghostgym.gym.spaces.Values;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Env#reset} returns: Gymnasium's {@code (observation, info)}. Equality is by content,
 * arrays included (see {@link Values#deepEquals}).
 */
public record Reset<O>(O observation, Map<String, Object> info) {
  public Reset {
    Objects.requireNonNull(info, "reset info must be a Map (Map.of() for none), not null");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reset<?> r
        && Values.deepEquals(observation, r.observation)
        && Values.deepEquals(info, r.info);
  }

  @Override
  public int hashCode() {
    return info.keySet().hashCode();
  }

  @Override
  public String toString() {
    return "Reset[observation="
        + Values.toString(observation)
        + ", info="
        + Values.toString(info)
        + "]";
  }
}
