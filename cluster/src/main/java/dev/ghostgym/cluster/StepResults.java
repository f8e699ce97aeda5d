package dev.ghostgym.cluster;

import dev.ghostgym.actors.enclave.CborSerializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One node's answers to a step batch as they cross the network: columns of primitive arrays, not a
 * record per env. Jackson CBOR writes a float array value by value (a token each, parsed one by one
 * on the learner, about 5 bytes a float) and a map's keys once per env; here every observation of
 * the batch is one {@code byte[]} of little-endian float32s (a single CBOR byte string, copied in
 * bulk) and each info key is written once per batch. Made from and read back into {@link
 * EnvResult}s, exactly: observations, masks, rewards, flags and info values survive unchanged.
 *
 * @param flags per env: {@link #PRESENT}, {@link #TERMINATED}, {@link #TRUNCATED}, {@link
 *     #HAS_OBS}, {@link #HAS_MASK}
 * @param observations the observations of the envs with {@link #HAS_OBS}, {@code obsLength}
 *     float32s each
 * @param masks the action masks of the envs with {@link #HAS_MASK}, {@code maskLength} bytes (0 or
 *     1) each
 * @param numbers env-major, {@code numberKeys.length} values per env; {@code numberSet} says which
 *     are there
 * @param texts env-major, {@code textKeys.length} per env; null where the env has no such key
 */
public record StepResults(
    int[] envIds,
    byte[] flags,
    double[] rewards,
    int obsLength,
    byte[] observations,
    int maskLength,
    byte[] masks,
    String[] numberKeys,
    double[] numbers,
    byte[] numberSet,
    String[] textKeys,
    String[] texts)
    implements CborSerializable {
  static final byte PRESENT = 1;
  static final byte TERMINATED = 2;
  static final byte TRUNCATED = 4;
  static final byte HAS_OBS = 8;
  static final byte HAS_MASK = 16;

  public int size() {
    return envIds.length;
  }

  /** The columns of {@code results}; every observation (and mask) must have the same length. */
  public static StepResults of(List<EnvResult> results) {
    int n = results.size();
    int obsLen = -1, maskLen = -1, withObs = 0, withMask = 0;
    TreeSet<String> numKeys = new TreeSet<>(), textKeys = new TreeSet<>();
    for (EnvResult r : results) {
      if (r.observation() != null) {
        obsLen = sameLength(obsLen, r.observation().length, "observation");
        withObs++;
      }
      if (r.actionMask() != null) {
        maskLen = sameLength(maskLen, r.actionMask().length, "action mask");
        withMask++;
      }
      numKeys.addAll(r.numbers().keySet());
      textKeys.addAll(r.text().keySet());
    }
    String[] nk = numKeys.toArray(String[]::new), tk = textKeys.toArray(String[]::new);
    int[] ids = new int[n];
    byte[] flags = new byte[n];
    double[] rewards = new double[n];
    ByteBuffer obs =
        ByteBuffer.allocate(Math.max(0, obsLen) * withObs * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    byte[] masks = new byte[Math.max(0, maskLen) * withMask];
    double[] numbers = new double[n * nk.length];
    byte[] numberSet = new byte[n * nk.length];
    String[] texts = new String[n * tk.length];
    int m = 0;
    for (int k = 0; k < n; k++) {
      EnvResult r = results.get(k);
      ids[k] = r.envId();
      rewards[k] = r.reward();
      flags[k] = flags(r);
      if (r.observation() != null) obs.asFloatBuffer().put(r.observation());
      if (r.observation() != null) obs.position(obs.position() + obsLen * Float.BYTES);
      if (r.actionMask() != null) {
        for (boolean b : r.actionMask()) masks[m++] = (byte) (b ? 1 : 0);
      }
      for (int j = 0; j < nk.length; j++) {
        Double v = r.numbers().get(nk[j]);
        if (v != null) {
          numbers[k * nk.length + j] = v;
          numberSet[k * nk.length + j] = 1;
        }
      }
      for (int j = 0; j < tk.length; j++) texts[k * tk.length + j] = r.text().get(tk[j]);
    }
    return new StepResults(
        ids,
        flags,
        rewards,
        Math.max(0, obsLen),
        obs.array(),
        Math.max(0, maskLen),
        masks,
        nk,
        numbers,
        numberSet,
        tk,
        texts);
  }

  private static int sameLength(int seen, int len, String what) {
    if (seen >= 0 && seen != len) {
      throw new IllegalArgumentException(
          "a step batch's envs must share one " + what + " length: " + seen + " and " + len);
    }
    return len;
  }

  private static byte flags(EnvResult r) {
    int f = 0;
    if (r.present()) f |= PRESENT;
    if (r.terminated()) f |= TERMINATED;
    if (r.truncated()) f |= TRUNCATED;
    if (r.observation() != null) f |= HAS_OBS;
    if (r.actionMask() != null) f |= HAS_MASK;
    return (byte) f;
  }

  /** The results again, one per env in the batch's order. */
  public List<EnvResult> results() {
    List<EnvResult> out = new ArrayList<>(envIds.length);
    ByteBuffer obs = ByteBuffer.wrap(observations).order(ByteOrder.LITTLE_ENDIAN);
    int m = 0;
    for (int k = 0; k < envIds.length; k++) {
      byte f = flags[k];
      float[] o = null;
      if ((f & HAS_OBS) != 0) {
        o = new float[obsLength];
        obs.asFloatBuffer().get(o);
        obs.position(obs.position() + obsLength * Float.BYTES);
      }
      boolean[] mask = null;
      if ((f & HAS_MASK) != 0) {
        mask = new boolean[maskLength];
        for (int j = 0; j < maskLength; j++) mask[j] = masks[m++] != 0;
      }
      Map<String, Double> num = new LinkedHashMap<>();
      for (int j = 0; j < numberKeys.length; j++) {
        if (numberSet[k * numberKeys.length + j] != 0) {
          num.put(numberKeys[j], numbers[k * numberKeys.length + j]);
        }
      }
      Map<String, String> text = new LinkedHashMap<>();
      for (int j = 0; j < textKeys.length; j++) {
        String t = texts[k * textKeys.length + j];
        if (t != null) text.put(textKeys[j], t);
      }
      out.add(
          new EnvResult(
              envIds[k],
              (f & PRESENT) != 0,
              o,
              rewards[k],
              (f & TERMINATED) != 0,
              (f & TRUNCATED) != 0,
              mask,
              num,
              text));
    }
    return out;
  }

  /** Env k's flags. */
  byte flags(int k) {
    return flags[k];
  }

  /**
   * The {@code index}-th observation of the batch (counting only envs with {@link #HAS_OBS}),
   * decoded in bulk from the float32 bytes.
   */
  float[] observation(int index) {
    float[] o = new float[obsLength];
    ByteBuffer.wrap(observations, index * obsLength * Float.BYTES, obsLength * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(o);
    return o;
  }

  /** The {@code index}-th action mask of the batch (counting only envs with {@link #HAS_MASK}). */
  boolean[] mask(int index) {
    boolean[] m = new boolean[maskLength];
    for (int j = 0; j < maskLength; j++) m[j] = masks[index * maskLength + j] != 0;
    return m;
  }

  /** Env k's value of number key j, or null where it has none. */
  Double number(int k, int j) {
    int at = k * numberKeys.length + j;
    return numberSet[at] != 0 ? numbers[at] : null;
  }

  /** Env k's value of text key j, or null where it has none. */
  String text(int k, int j) {
    return texts[k * textKeys.length + j];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StepResults s
        && obsLength == s.obsLength
        && maskLength == s.maskLength
        && Arrays.equals(envIds, s.envIds)
        && Arrays.equals(flags, s.flags)
        && Arrays.equals(rewards, s.rewards)
        && Arrays.equals(observations, s.observations)
        && Arrays.equals(masks, s.masks)
        && Arrays.equals(numberKeys, s.numberKeys)
        && Arrays.equals(numbers, s.numbers)
        && Arrays.equals(numberSet, s.numberSet)
        && Arrays.equals(textKeys, s.textKeys)
        && Arrays.equals(texts, s.texts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(envIds), Arrays.hashCode(observations));
  }

  @Override
  public String toString() {
    return "StepResults" + results();
  }
}
