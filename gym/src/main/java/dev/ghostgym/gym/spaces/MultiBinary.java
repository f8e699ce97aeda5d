package dev.ghostgym.gym.spaces;

import java.util.SplittableRandom;

/**
 * Binary vectors of length n (Gymnasium's one-dimensional {@code MultiBinary(n)}), as int[] of 0
 * and 1. A mask is a byte[] (Gymnasium's int8) or int[] of length n as in Gymnasium: 0 forces 0, 1
 * forces 1, 2 samples a fair coin. Flattens as it is.
 */
public final class MultiBinary extends Space<int[]> {
  private final int n;

  public MultiBinary(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("MultiBinary n (counts) must be positive, got " + n);
    }
    this.n = n;
  }

  public int n() {
    return n;
  }

  @Override
  public String mismatch(Object value) {
    if (!(value instanceof int[] x)) {
      return (value == null
              ? "null"
              : value.getClass().getSimpleName() + " " + Values.toString(value))
          + " is not in "
          + this
          + ": expected an int[] of length "
          + n;
    }
    if (x.length != n) {
      return "int[" + x.length + "] is not in " + this + ": expected length " + n;
    }
    for (int i = 0; i < n; i++) {
      if (x[i] != 0 && x[i] != 1) {
        return "element " + i + " = " + x[i] + " is not 0 or 1 in " + this;
      }
    }
    return null;
  }

  @Override
  public int[] sample(SplittableRandom rng) {
    int[] x = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextInt(2);
    }
    return x;
  }

  @Override
  public int[] sample(SplittableRandom rng, Object mask) {
    if (mask == null) {
      return sample(rng);
    }
    int[] m = new int[n];
    if (mask instanceof byte[] b && b.length == n) {
      for (int i = 0; i < n; i++) {
        m[i] = b[i];
      }
    } else if (mask instanceof int[] b && b.length == n) {
      System.arraycopy(b, 0, m, 0, n);
    } else {
      throw new IllegalArgumentException(
          "mask for "
              + this
              + " must be a byte[] or int[] of length "
              + n
              + " holding 0, 1 or 2, got "
              + Values.toString(mask));
    }
    int[] x = new int[n];
    for (int i = 0; i < n; i++) {
      if (m[i] < 0 || m[i] > 2) {
        throw new IllegalArgumentException(
            "mask for " + this + " must hold only 0, 1 or 2, got " + m[i] + " at index " + i);
      }
      x[i] = m[i] == 2 ? rng.nextInt(2) : m[i];
    }
    return x;
  }

  @Override
  public int flatDim() {
    return n;
  }

  @Override
  public void flattenInto(int[] value, float[] out, int offset) {
    if (value.length != n) {
      throw new IllegalArgumentException(
          "cannot flatten int[" + value.length + "]: " + this + " expects length " + n);
    }
    for (int i = 0; i < n; i++) {
      out[offset + i] = value[i];
    }
  }

  /** Casts each entry to int, as Gymnasium's {@code np.asarray(x, dtype=int8)}. */
  @Override
  public int[] unflattenFrom(float[] flat, int offset) {
    int[] x = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = (int) flat[offset + i];
    }
    return x;
  }

  @Override
  public Box flattenSpace() {
    return new Box(0f, 1f, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultiBinary m && m.n == n;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(n) * 17;
  }

  /** Gymnasium's repr: {@code MultiBinary(5)}. */
  @Override
  public String toString() {
    return "MultiBinary(" + n + ")";
  }
}
