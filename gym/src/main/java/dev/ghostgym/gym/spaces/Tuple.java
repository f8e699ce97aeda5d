package dev.ghostgym.gym.spaces;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fixed sequence of subspaces (Gymnasium's {@code Tuple}), with List&lt;Object&gt; values
 * (Gymnasium's Python tuples; Gymnasium also accepts lists and arrays, here only a List is an
 * element). A mask is one mask per part (Object[] or List, null entries for none).
 */
public final class Tuple extends Space<List<Object>> {
  private final List<Space<?>> spaces;
  private final int flatDim;

  public Tuple(List<? extends Space<?>> spaces) {
    if (spaces.isEmpty()) {
      throw new IllegalArgumentException("Tuple needs at least one subspace");
    }
    long dim = 0;
    for (Space<?> s : spaces) {
      if (s == null) {
        throw new IllegalArgumentException("Tuple subspaces must not be null");
      }
      dim += s.flatDim();
    }
    this.spaces = List.copyOf(spaces);
    this.flatDim = Math.toIntExact(dim);
  }

  public Tuple(Space<?>... spaces) {
    this(Arrays.asList(spaces));
  }

  /** The subspaces in order (unmodifiable). */
  public List<Space<?>> spaces() {
    return spaces;
  }

  public Space<?> get(int index) {
    return spaces.get(index);
  }

  public int size() {
    return spaces.size();
  }

  @Override
  public String mismatch(Object value) {
    if (!(value instanceof List<?> list)) {
      return (value == null ? "null" : value.getClass().getSimpleName())
          + " is not in "
          + this
          + ": expected a List of "
          + spaces.size()
          + " elements";
    }
    if (list.size() != spaces.size()) {
      return "List of "
          + list.size()
          + " elements is not in "
          + this
          + ": expected "
          + spaces.size();
    }
    for (int i = 0; i < spaces.size(); i++) {
      String why = spaces.get(i).mismatch(list.get(i));
      if (why != null) {
        return Dict.path("[" + i + "]", why);
      }
    }
    return null;
  }

  @Override
  public List<Object> sample(SplittableRandom rng) {
    Object[] x = new Object[spaces.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = spaces.get(i).sample(rng);
    }
    return List.of(x);
  }

  @Override
  public List<Object> sample(SplittableRandom rng, Object mask) {
    if (mask == null) {
      return sample(rng);
    }
    Object[] parts = Masks.parts(mask, spaces.size(), toString());
    Object[] x = new Object[spaces.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = spaces.get(i).sample(rng, parts[i]);
    }
    return List.of(x);
  }

  /** Each subspace samples from its own generator, as Gymnasium's {@code Tuple.sample()}. */
  @Override
  public List<Object> sample() {
    Object[] x = new Object[spaces.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = spaces.get(i).sample();
    }
    return List.of(x);
  }

  /**
   * Seeds this space, then each subspace in order with a seed drawn from this space's generator.
   */
  @Override
  public long seed(Long seed) {
    long used = super.seed(seed);
    SplittableRandom g = generator();
    for (Space<?> s : spaces) {
      s.seed(g.nextLong() >>> 1);
    }
    return used;
  }

  @Override
  public int flatDim() {
    return flatDim;
  }

  @Override
  public void flattenInto(List<Object> value, float[] out, int offset) {
    if (value.size() != spaces.size()) {
      throw new IllegalArgumentException(
          "cannot flatten a List of " + value.size() + " elements into " + this);
    }
    int at = offset;
    for (int i = 0; i < spaces.size(); i++) {
      try {
        flattenAny(spaces.get(i), value.get(i), out, at);
      } catch (ClassCastException | IllegalArgumentException | NullPointerException ex) {
        throw new IllegalArgumentException(
            "cannot flatten " + Dict.path("[" + i + "]", String.valueOf(ex.getMessage())), ex);
      }
      at += spaces.get(i).flatDim();
    }
  }

  @Override
  public List<Object> unflattenFrom(float[] flat, int offset) {
    List<Object> x = new ArrayList<>(spaces.size());
    int at = offset;
    for (Space<?> s : spaces) {
      x.add(s.unflattenFrom(flat, at));
      at += s.flatDim();
    }
    return Collections.unmodifiableList(x);
  }

  @Override
  public Box flattenSpace() {
    return Dict.concatenate(spaces);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tuple t && t.spaces.equals(spaces);
  }

  @Override
  public int hashCode() {
    return spaces.hashCode();
  }

  /** Gymnasium's repr: {@code Tuple(Discrete(2), MultiBinary(3))}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tuple(");
    for (int i = 0; i < spaces.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(spaces.get(i));
    }
    return sb.append(')').toString();
  }
}
