package dev.ghostgym.gym;

import dev.ghostgym.gym.spaces.Values;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Env#step} returns: Gymnasium's 5-tuple {@code (observation, reward, terminated,
 * truncated, info)}. {@code terminated}: the episode reached a terminal state of the task (its
 * value is 0 from here); {@code truncated}: it was cut short from outside the task (a time limit),
 * so the last observation still has a value. Both may be true. Equality is by content, arrays
 * included.
 */
public record Step<O>(
    O observation, double reward, boolean terminated, boolean truncated, Map<String, Object> info) {
  public Step {
    Objects.requireNonNull(info, "step info must be a Map (Map.of() for none), not null");
  }

  /** The episode is over, {@code terminated || truncated}: the next call must be {@code reset}. */
  public boolean done() {
    return terminated || truncated;
  }

  public <X> Step<X> withObservation(X newObservation) {
    return new Step<>(newObservation, reward, terminated, truncated, info);
  }

  public Step<O> withReward(double newReward) {
    return new Step<>(observation, newReward, terminated, truncated, info);
  }

  public Step<O> withTruncated(boolean newTruncated) {
    return new Step<>(observation, reward, terminated, newTruncated, info);
  }

  public Step<O> withInfo(Map<String, Object> newInfo) {
    return new Step<>(observation, reward, terminated, truncated, newInfo);
  }

  /**
   * A copy of the info with one more entry (the env's own map is never modified: it may be
   * immutable).
   */
  public Step<O> withInfoEntry(String key, Object value) {
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(info);
    copy.put(key, value);
    return withInfo(copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Step<?> s
        && Double.compare(reward, s.reward) == 0
        && terminated == s.terminated
        && truncated == s.truncated
        && Values.deepEquals(observation, s.observation)
        && Values.deepEquals(info, s.info);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reward, terminated, truncated);
  }

  @Override
  public String toString() {
    return "Step[observation="
        + Values.toString(observation)
        + ", reward="
        + reward
        + ", terminated="
        + terminated
        + ", truncated="
        + truncated
        + ", info="
        + Values.toString(info)
        + "]";
  }
}
