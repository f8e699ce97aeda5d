package dev.ghostgym.gym.spaces;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A vector of independent discrete choices, dimension i taking {@code start[i] .. start[i] +
 * nvec[i] - 1} (Gymnasium's one-dimensional {@code MultiDiscrete(nvec, start=start)}), as int[]
 * values. A mask is one Discrete-style mask per dimension (an Object[] such as byte[][] or
 * boolean[][], or a List); a dimension whose mask allows nothing samples its start. Flattens to
 * concatenated one-hots.
 */
public final class MultiDiscrete extends Space<int[]> {
  private final int[] nvec;
  private final int[] start;
  private final int flatDim;

  public MultiDiscrete(int[] nvec) {
    this(nvec, new int[nvec.length]);
  }

  public MultiDiscrete(int[] nvec, int[] start) {
    if (start.length != nvec.length) {
      throw new IllegalArgumentException(
          "MultiDiscrete start and nvec must have the same length, got "
              + start.length
              + " and "
              + nvec.length);
    }
    long dim = 0;
    for (int i = 0; i < nvec.length; i++) {
      if (nvec[i] <= 0) {
        throw new IllegalArgumentException(
            "MultiDiscrete nvec (counts) must be positive, got nvec[" + i + "] = " + nvec[i]);
      }
      dim += nvec[i];
    }
    if (dim > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("MultiDiscrete flat dimension too large: " + dim);
    }
    this.nvec = nvec.clone();
    this.start = start.clone();
    this.flatDim = (int) dim;
  }

  public int[] nvec() {
    return nvec.clone();
  }

  public int[] start() {
    return start.clone();
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
          + nvec.length;
    }
    if (x.length != nvec.length) {
      return "int[" + x.length + "] is not in " + this + ": expected length " + nvec.length;
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i] < start[i] || x[i] - start[i] >= nvec[i]) {
        return "element "
            + i
            + " = "
            + x[i]
            + " is not in ["
            + start[i]
            + ", "
            + (start[i] + nvec[i] - 1)
            + "] of "
            + this;
      }
    }
    return null;
  }

  @Override
  public int[] sample(SplittableRandom rng) {
    int[] x = new int[nvec.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = start[i] + rng.nextInt(nvec[i]);
    }
    return x;
  }

  @Override
  public int[] sample(SplittableRandom rng, Object mask) {
    if (mask == null) {
      return sample(rng);
    }
    Object[] parts = Masks.parts(mask, nvec.length, toString());
    int[] x = new int[nvec.length];
    for (int i = 0; i < x.length; i++) {
      int index =
          Masks.chooseValid(Masks.toBooleans(parts[i], nvec[i], this + " dimension " + i), rng);
      x[i] = start[i] + Math.max(index, 0);
    }
    return x;
  }

  @Override
  public int flatDim() {
    return flatDim;
  }

  @Override
  public void flattenInto(int[] value, float[] out, int offset) {
    String why = mismatch(value);
    if (why != null) {
      throw new IllegalArgumentException("cannot flatten: " + why);
    }
    Arrays.fill(out, offset, offset + flatDim, 0f);
    int at = offset;
    for (int i = 0; i < nvec.length; i++) {
      out[at + value[i] - start[i]] = 1f;
      at += nvec[i];
    }
  }

  @Override
  public int[] unflattenFrom(float[] flat, int offset) {
    int[] x = new int[nvec.length];
    int at = offset;
    for (int i = 0; i < nvec.length; i++) {
      int hot = -1;
      for (int j = 0; j < nvec[i] && hot < 0; j++) {
        if (flat[at + j] != 0f) {
          hot = j;
        }
      }
      if (hot < 0) {
        throw new IllegalArgumentException(
            "cannot unflatten into "
                + this
                + ": dimension "
                + i
                + " has no non-zero entry in its one-hot block");
      }
      x[i] = start[i] + hot;
      at += nvec[i];
    }
    return x;
  }

  @Override
  public Box flattenSpace() {
    return new Box(0f, 1f, flatDim);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultiDiscrete m
        && Arrays.equals(m.nvec, nvec)
        && Arrays.equals(m.start, start);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(nvec) + Arrays.hashCode(start);
  }

  /**
   * Gymnasium's repr (numpy arrays): {@code MultiDiscrete([2 3 4])}, {@code MultiDiscrete([2 3],
   * start=[1 1])}.
   */
  @Override
  public String toString() {
    boolean zeroStart = Arrays.stream(start).allMatch(s -> s == 0);
    return "MultiDiscrete(" + numpy(nvec) + (zeroStart ? "" : ", start=" + numpy(start)) + ")";
  }

  private static String numpy(int[] a) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < a.length; i++) {
      sb.append(i == 0 ? "" : " ").append(a[i]);
    }
    return sb.append(']').toString();
  }
}
