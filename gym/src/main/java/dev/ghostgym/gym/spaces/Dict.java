package dev.ghostgym.gym.spaces;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Named subspaces (Gymnasium's {@code Dict}), with Map&lt;String, Object&gt; values. Keys keep the
 * order given (as Gymnasium does for an {@code OrderedDict}; a plain Python dict is sorted there),
 * and that order is the order of samples, unflattened values and flat vectors. A value is contained
 * when its key set equals the space's (in any order) and each entry is in its subspace. A mask is a
 * Map from each key to that subspace's mask (null for none).
 */
public final class Dict extends Space<Map<String, Object>> {
  private final LinkedHashMap<String, Space<?>> spaces;
  private final int flatDim;

  public Dict(LinkedHashMap<String, Space<?>> spaces) {
    if (spaces.isEmpty()) {
      throw new IllegalArgumentException("Dict needs at least one subspace");
    }
    long dim = 0;
    for (Map.Entry<String, Space<?>> e : spaces.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException(
            "Dict keys and subspaces must not be null, got " + e.getKey() + " -> " + e.getValue());
      }
      dim += e.getValue().flatDim();
    }
    this.spaces = new LinkedHashMap<>(spaces);
    this.flatDim = Math.toIntExact(dim);
  }

  /**
   * Builds a Dict key by key, in order: {@code Dict.builder().put("a", new Discrete(2)).build()}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects subspaces in insertion order for {@link Dict}. */
  public static final class Builder {
    private final LinkedHashMap<String, Space<?>> spaces = new LinkedHashMap<>();

    private Builder() {}

    public Builder put(String key, Space<?> space) {
      if (spaces.putIfAbsent(key, space) != null) {
        throw new IllegalArgumentException("Dict key '" + key + "' given twice");
      }
      return this;
    }

    public Dict build() {
      return new Dict(spaces);
    }
  }

  /** The subspaces in order (unmodifiable). */
  public Map<String, Space<?>> spaces() {
    return Collections.unmodifiableMap(spaces);
  }

  /** The subspace named {@code key}, or an error naming the known keys. */
  public Space<?> get(String key) {
    Space<?> s = spaces.get(key);
    if (s == null) {
      throw new IllegalArgumentException(
          "no key '" + key + "' in Dict; keys are " + spaces.keySet());
    }
    return s;
  }

  @Override
  public String mismatch(Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      return (value == null ? "null" : value.getClass().getSimpleName())
          + " is not in "
          + this
          + ": expected a Map with keys "
          + spaces.keySet();
    }
    if (!map.keySet().equals(spaces.keySet())) {
      return "Map with keys "
          + map.keySet()
          + " is not in "
          + this
          + ": expected keys "
          + spaces.keySet();
    }
    for (Map.Entry<String, Space<?>> e : spaces.entrySet()) {
      String why = e.getValue().mismatch(map.get(e.getKey()));
      if (why != null) {
        return path("['" + e.getKey() + "']", why);
      }
    }
    return null;
  }

  /** Prefixes a nested mismatch with its path: {@code ['a'][2]: 9 is not in Discrete(8)}. */
  static String path(String segment, String why) {
    return segment + (why.startsWith("[") ? "" : ": ") + why;
  }

  @Override
  public Map<String, Object> sample(SplittableRandom rng) {
    LinkedHashMap<String, Object> x = new LinkedHashMap<>();
    for (Map.Entry<String, Space<?>> e : spaces.entrySet()) {
      x.put(e.getKey(), e.getValue().sample(rng));
    }
    return Collections.unmodifiableMap(x);
  }

  @Override
  public Map<String, Object> sample(SplittableRandom rng, Object mask) {
    if (mask == null) {
      return sample(rng);
    }
    if (!(mask instanceof Map<?, ?> masks) || !masks.keySet().equals(spaces.keySet())) {
      throw new IllegalArgumentException(
          "mask for "
              + this
              + " must be a Map with keys "
              + spaces.keySet()
              + ", got "
              + Values.toString(mask));
    }
    LinkedHashMap<String, Object> x = new LinkedHashMap<>();
    for (Map.Entry<String, Space<?>> e : spaces.entrySet()) {
      x.put(e.getKey(), e.getValue().sample(rng, masks.get(e.getKey())));
    }
    return Collections.unmodifiableMap(x);
  }

  /** Each subspace samples from its own generator, as Gymnasium's {@code Dict.sample()}. */
  @Override
  public Map<String, Object> sample() {
    LinkedHashMap<String, Object> x = new LinkedHashMap<>();
    for (Map.Entry<String, Space<?>> e : spaces.entrySet()) {
      x.put(e.getKey(), e.getValue().sample());
    }
    return Collections.unmodifiableMap(x);
  }

  /**
   * Seeds this space, then each subspace in order with a seed drawn from this space's generator.
   */
  @Override
  public long seed(Long seed) {
    long used = super.seed(seed);
    SplittableRandom g = generator();
    for (Space<?> s : spaces.values()) {
      s.seed(g.nextLong() >>> 1);
    }
    return used;
  }

  @Override
  public int flatDim() {
    return flatDim;
  }

  @Override
  public void flattenInto(Map<String, Object> value, float[] out, int offset) {
    if (!value.keySet().equals(spaces.keySet())) {
      throw new IllegalArgumentException(
          "cannot flatten a Map with keys " + value.keySet() + " into " + this);
    }
    int at = offset;
    for (Map.Entry<String, Space<?>> e : spaces.entrySet()) {
      try {
        flattenAny(e.getValue(), value.get(e.getKey()), out, at);
      } catch (ClassCastException | IllegalArgumentException | NullPointerException ex) {
        throw new IllegalArgumentException(
            "cannot flatten " + path("['" + e.getKey() + "']", String.valueOf(ex.getMessage())),
            ex);
      }
      at += e.getValue().flatDim();
    }
  }

  @Override
  public Map<String, Object> unflattenFrom(float[] flat, int offset) {
    LinkedHashMap<String, Object> x = new LinkedHashMap<>();
    int at = offset;
    for (Map.Entry<String, Space<?>> e : spaces.entrySet()) {
      x.put(e.getKey(), e.getValue().unflattenFrom(flat, at));
      at += e.getValue().flatDim();
    }
    return Collections.unmodifiableMap(x);
  }

  @Override
  public Box flattenSpace() {
    return concatenate(new ArrayList<>(spaces.values()));
  }

  /**
   * The Box of concatenated flat bounds of {@code parts}, as Gymnasium's {@code flatten_space} for
   * Dict/Tuple.
   */
  static Box concatenate(List<Space<?>> parts) {
    int dim = 0;
    for (Space<?> p : parts) {
      dim += p.flatDim();
    }
    float[] low = new float[dim];
    float[] high = new float[dim];
    int at = 0;
    for (Space<?> p : parts) {
      Box b = p.flattenSpace();
      for (int i = 0; i < b.size(); i++) {
        low[at + i] = b.low(i);
        high[at + i] = b.high(i);
      }
      at += b.size();
    }
    return new Box(low, high);
  }

  /**
   * Equal subspaces under equal keys, in any order (Python dict equality, as Gymnasium's {@code
   * Dict.__eq__}).
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof Dict d && d.spaces.equals(spaces);
  }

  @Override
  public int hashCode() {
    return spaces.hashCode();
  }

  /** Gymnasium's repr: {@code Dict('a': Discrete(2), 'b': Box(0.0, 1.0, (3,), float32))}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Dict(");
    boolean first = true;
    for (Map.Entry<String, Space<?>> e : spaces.entrySet()) {
      sb.append(first ? "" : ", ")
          .append('\'')
          .append(e.getKey())
          .append("': ")
          .append(e.getValue());
      first = false;
    }
    return sb.append(')').toString();
  }
}
