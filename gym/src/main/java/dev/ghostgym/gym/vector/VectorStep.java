package dev.ghostgym.gym.vector;

import dev.ghostgym.gym.spaces.Values;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@link VectorEnv#step} returns: index i of each component belongs to sub-env i (Gymnasium's
 * batched 5-tuple, with infos as one Map per env rather than Gymnasium's dict of arrays). The
 * arrays are fresh for each call. Equality is by content.
 */
public record VectorStep<O>(
    List<O> observations,
    double[] rewards,
    boolean[] terminated,
    boolean[] truncated,
    List<Map<String, Object>> infos) {
  public int size() {
    return rewards.length;
  }

  public O observation(int i) {
    return observations.get(i);
  }

  public Map<String, Object> info(int i) {
    return infos.get(i);
  }

  /**
   * Whether env i's episode ended at this step, so that the next step resets it (see {@link
   * AutoresetMode#NEXT_STEP}).
   */
  public boolean done(int i) {
    return terminated[i] || truncated[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VectorStep<?> s
        && Arrays.equals(rewards, s.rewards)
        && Arrays.equals(terminated, s.terminated)
        && Arrays.equals(truncated, s.truncated)
        && Values.deepEquals(observations, s.observations)
        && Values.deepEquals(infos, s.infos);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(rewards) + Arrays.hashCode(terminated);
  }

  @Override
  public String toString() {
    return "VectorStep[observations="
        + Values.toString(observations)
        + ", rewards="
        + Arrays.toString(rewards)
        + ", terminated="
        + Arrays.toString(terminated)
        + ", truncated="
        + Arrays.toString(truncated)
        + ", infos="
        + Values.toString(infos)
        + "]";
  }
}
