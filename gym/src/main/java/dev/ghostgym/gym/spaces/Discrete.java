package dev.ghostgym.gym.spaces;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The integers {@code start, start + 1, ..., start + n - 1} (Gymnasium's {@code Discrete(n,
 * start=start)}), as Integer values. Masks are boolean[], byte[] (Gymnasium's int8) or int[] of
 * length n with 1 for allowed; as in Gymnasium, a mask allowing nothing samples {@code start}.
 * Flattens one-hot.
 */
public final class Discrete extends Space<Integer> {
  private final int n;
  private final int start;

  public Discrete(int n) {
    this(n, 0);
  }

  public Discrete(int n, int start) {
    if (n <= 0) {
      throw new IllegalArgumentException("Discrete n (count) must be positive, got " + n);
    }
    if ((long) start + n - 1 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Discrete(" + n + ", start=" + start + ") exceeds the int range");
    }
    this.n = n;
    this.start = start;
  }

  public int n() {
    return n;
  }

  public int start() {
    return start;
  }

  @Override
  public String mismatch(Object value) {
    if (!(value instanceof Integer i)) {
      return (value == null
              ? "null"
              : value.getClass().getSimpleName() + " " + Values.toString(value))
          + " is not in "
          + this
          + ": expected an Integer";
    }
    if (i < start || i - start >= n) {
      return i + " is not in " + this;
    }
    return null;
  }

  @Override
  public Integer sample(SplittableRandom rng) {
    return start + rng.nextInt(n);
  }

  /**
   * Samples among the allowed values of a boolean[], byte[] or int[] mask; none allowed gives
   * {@code start}.
   */
  @Override
  public Integer sample(SplittableRandom rng, Object mask) {
    if (mask == null) {
      return sample(rng);
    }
    int index = Masks.chooseValid(Masks.toBooleans(mask, n, toString()), rng);
    return start + Math.max(index, 0);
  }

  @Override
  public int flatDim() {
    return n;
  }

  @Override
  public void flattenInto(Integer value, float[] out, int offset) {
    int index = value - start;
    if (index < 0 || index >= n) {
      throw new IllegalArgumentException("cannot flatten " + value + ": not in " + this);
    }
    Arrays.fill(out, offset, offset + n, 0f);
    out[offset + index] = 1f;
  }

  /**
   * The first non-zero entry marks the value, as Gymnasium's {@code unflatten}; all zeros is an
   * error.
   */
  @Override
  public Integer unflattenFrom(float[] flat, int offset) {
    for (int i = 0; i < n; i++) {
      if (flat[offset + i] != 0f) {
        return start + i;
      }
    }
    throw new IllegalArgumentException(
        "cannot unflatten into "
            + this
            + ": no non-zero entry in the one-hot vector at offset "
            + offset);
  }

  @Override
  public Box flattenSpace() {
    return new Box(0f, 1f, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Discrete d && d.n == n && d.start == start;
  }

  @Override
  public int hashCode() {
    return 31 * n + start;
  }

  /** Gymnasium's repr: {@code Discrete(8)}, or {@code Discrete(3, start=-1)}. */
  @Override
  public String toString() {
    return start == 0 ? "Discrete(" + n + ")" : "Discrete(" + n + ", start=" + start + ")";
  }
}
