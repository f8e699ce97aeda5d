package dev.ghostgym.cluster;

import dev.ghostgym.gym.spaces.Space;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Converts an env's observation and info to and from their {@link EnvResult} form. */
final class Wire {
  static final String ACTION_MASK = "action_mask";

  private Wire() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static EnvResult result(
      int envId,
      Space space,
      Object observation,
      double reward,
      boolean terminated,
      boolean truncated,
      Map<String, Object> info) {
    float[] flat = space.flatten(observation);
    boolean[] mask = null;
    Map<String, Double> numbers = new TreeMap<>();
    Map<String, String> text = new TreeMap<>();
    if (info != null) {
      for (Map.Entry<String, Object> e : info.entrySet()) {
        Object v = e.getValue();
        if (e.getKey().equals(ACTION_MASK)) {
          mask = mask(v);
        } else if (v instanceof Number n) {
          numbers.put(e.getKey(), n.doubleValue());
        } else if (v != null) {
          text.put(e.getKey(), String.valueOf(v));
        }
      }
    }
    return new EnvResult(envId, true, flat, reward, terminated, truncated, mask, numbers, text);
  }

  private static boolean[] mask(Object v) {
    if (v instanceof boolean[] b) {
      return b.clone();
    }
    if (v instanceof int[] a) {
      boolean[] b = new boolean[a.length];
      for (int i = 0; i < a.length; i++) {
        b[i] = a[i] != 0;
      }
      return b;
    }
    if (v instanceof byte[] a) {
      boolean[] b = new boolean[a.length];
      for (int i = 0; i < a.length; i++) {
        b[i] = a[i] != 0;
      }
      return b;
    }
    throw new IllegalArgumentException(
        "info action_mask: expected boolean[], int[] or byte[], got " + v);
  }

  /** The learner-side info: the mask as boolean[], numbers as Double, text as String. */
  static Map<String, Object> info(EnvResult r) {
    Map<String, Object> info = new LinkedHashMap<>();
    if (r.actionMask() != null) {
      info.put(ACTION_MASK, r.actionMask());
    }
    info.putAll(r.numbers());
    info.putAll(r.text());
    return info;
  }

  /** The info of an episode cut short by a fault. */
  static Map<String, Object> truncatedInfo(boolean[] lastMask, String reason) {
    Map<String, Object> info = new HashMap<>();
    if (lastMask != null) {
      info.put(ACTION_MASK, lastMask);
    }
    info.put(ClusterVectorEnv.TRUNCATED_REASON, reason);
    return info;
  }
}
