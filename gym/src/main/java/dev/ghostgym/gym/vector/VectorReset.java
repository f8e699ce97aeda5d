package dev.ghostgym.gym.vector;

import dev.ghostgym.gym.spaces.Values;
import java.util.List;
import java.util.Map;

/**
 * What {@link VectorEnv#resetAll} returns: per sub-env observations and infos, index i for env i.
 * Equality is by content.
 */
public record VectorReset<O>(List<O> observations, List<Map<String, Object>> infos) {
  public int size() {
    return observations.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VectorReset<?> r
        && Values.deepEquals(observations, r.observations)
        && Values.deepEquals(infos, r.infos);
  }

  @Override
  public int hashCode() {
    return observations.size();
  }

  @Override
  public String toString() {
    return "VectorReset[observations="
        + Values.toString(observations)
        + ", infos="
        + Values.toString(infos)
        + "]";
  }
}
