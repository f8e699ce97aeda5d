package dev.ghostgym.cluster;

import dev.ghostgym.actors.enclave.CborSerializable;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One env's answer to a reset or a step, as it crosses nodes: the observation flattened to a {@code
 * float[]} (its space's flatten), the action mask as a {@code boolean[]}, and the rest of the info
 * split into numbers and text (Jackson keeps those types exactly; arbitrary Objects it would not).
 * {@code present = false} means the node no longer hosts the env (stopped or moved).
 */
public record EnvResult(
    int envId,
    boolean present,
    float[] observation,
    double reward,
    boolean terminated,
    boolean truncated,
    boolean[] actionMask,
    Map<String, Double> numbers,
    Map<String, String> text)
    implements CborSerializable {
  public EnvResult {
    numbers = numbers == null ? Map.of() : Map.copyOf(numbers);
    text = text == null ? Map.of() : Map.copyOf(text);
  }

  /** The node answered for {@code envId} but does not host it. */
  public static EnvResult missing(int envId) {
    return new EnvResult(envId, false, null, 0, false, false, null, Map.of(), Map.of());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnvResult r
        && envId == r.envId
        && present == r.present
        && reward == r.reward
        && terminated == r.terminated
        && truncated == r.truncated
        && Arrays.equals(observation, r.observation)
        && Arrays.equals(actionMask, r.actionMask)
        && numbers.equals(r.numbers)
        && text.equals(r.text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(envId, reward, Arrays.hashCode(observation));
  }

  @Override
  public String toString() {
    return "EnvResult[env "
        + envId
        + (present ? "" : " missing")
        + ", obs="
        + Arrays.toString(observation)
        + ", reward="
        + reward
        + ", terminated="
        + terminated
        + ", truncated="
        + truncated
        + ", mask="
        + Arrays.toString(actionMask)
        + ", numbers="
        + numbers
        + ", text="
        + text
        + "]";
  }
}
