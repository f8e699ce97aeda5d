package dev.ghostgym.gym.spaces;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Float32 arrays of a fixed shape with per-element bounds (Gymnasium's {@code Box(low, high, shape,
 * float32)}). Values are float[] in row-major order of length {@code prod(shape)}; the shape is
 * metadata (a Box of shape (2, 3) holds float[6]). Bounds may be infinite but not NaN; a value is
 * contained when its length matches and {@code low <= x <= high} everywhere, so NaN is never
 * contained. Only float32 is supported: integer Boxes are what Discrete/MultiDiscrete are for here.
 */
public final class Box extends Space<float[]> {
  private final float[] low;
  private final float[] high;
  private final int[] shape;

  /**
   * Scalar bounds broadcast over {@code shape} (Gymnasium's {@code Box(0.0, 16.0, shape=(7,))}).
   */
  public Box(float low, float high, int... shape) {
    this(filled(low, size(shape)), filled(high, size(shape)), shape);
  }

  /** A one-dimensional Box with per-element bounds. */
  public Box(float[] low, float[] high) {
    this(low, high, new int[] {low.length});
  }

  /** Per-element bounds in row-major order, {@code prod(shape)} of each. */
  public Box(float[] low, float[] high, int[] shape) {
    int size = size(shape);
    if (low.length != size || high.length != size) {
      throw new IllegalArgumentException(
          "Box low and high must have prod(shape) = "
              + size
              + " elements for shape "
              + shapeString(shape)
              + ", got "
              + low.length
              + " and "
              + high.length);
    }
    for (int i = 0; i < size; i++) {
      if (Float.isNaN(low[i]) || Float.isNaN(high[i])) {
        throw new IllegalArgumentException("Box bounds must not be NaN (index " + i + ")");
      }
      if (low[i] > high[i]) {
        throw new IllegalArgumentException(
            "Box low must be <= high everywhere, but low["
                + i
                + "] = "
                + low[i]
                + " > high["
                + i
                + "] = "
                + high[i]);
      }
    }
    this.low = low.clone();
    this.high = high.clone();
    this.shape = shape.clone();
  }

  public float[] low() {
    return low.clone();
  }

  public float[] high() {
    return high.clone();
  }

  public int[] shape() {
    return shape.clone();
  }

  /** Number of elements, {@code prod(shape)}. */
  public int size() {
    return low.length;
  }

  public float low(int i) {
    return low[i];
  }

  public float high(int i) {
    return high[i];
  }

  @Override
  public String mismatch(Object value) {
    if (!(value instanceof float[] x)) {
      return (value == null
              ? "null"
              : value.getClass().getSimpleName() + " " + Values.toString(value))
          + " is not in "
          + this
          + ": expected a float[] of length "
          + low.length;
    }
    if (x.length != low.length) {
      return "float[" + x.length + "] is not in " + this + ": expected length " + low.length;
    }
    for (int i = 0; i < x.length; i++) {
      // written so that NaN fails both comparisons, as numpy's (x >= low) & (x <= high)
      if (!(x[i] >= low[i] && x[i] <= high[i])) {
        return "element "
            + i
            + " = "
            + x[i]
            + " is not in ["
            + low[i]
            + ", "
            + high[i]
            + "] of "
            + this;
      }
    }
    return null;
  }

  /**
   * As Gymnasium's {@code Box.sample}: uniform on {@code [low, high]} where both bounds are finite,
   * {@code low + Exp(1)} where only low is, {@code high - Exp(1)} where only high is, N(0, 1) where
   * neither.
   */
  @Override
  public float[] sample(SplittableRandom rng) {
    float[] x = new float[low.length];
    for (int i = 0; i < x.length; i++) {
      boolean below = low[i] != Float.NEGATIVE_INFINITY;
      boolean above = high[i] != Float.POSITIVE_INFINITY;
      double v;
      if (below && above) {
        v = low[i] + ((double) high[i] - low[i]) * rng.nextDouble();
      } else if (below) {
        v = low[i] + rng.nextExponential();
      } else if (above) {
        v = high[i] - rng.nextExponential();
      } else {
        v = rng.nextGaussian();
      }
      // rounding to float32 may step just past a bound
      x[i] = Math.min(Math.max((float) v, low[i]), high[i]);
    }
    return x;
  }

  @Override
  public int flatDim() {
    return low.length;
  }

  @Override
  public void flattenInto(float[] value, float[] out, int offset) {
    if (value.length != low.length) {
      throw new IllegalArgumentException(
          "cannot flatten float[" + value.length + "]: " + this + " expects length " + low.length);
    }
    System.arraycopy(value, 0, out, offset, value.length);
  }

  @Override
  public float[] unflattenFrom(float[] flat, int offset) {
    return Arrays.copyOfRange(flat, offset, offset + low.length);
  }

  @Override
  public Box flattenSpace() {
    return shape.length == 1 ? this : new Box(low, high, new int[] {low.length});
  }

  /** Exact equality of shape and bounds (Gymnasium compares bounds with {@code np.allclose}). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Box b
        && Arrays.equals(b.shape, shape)
        && Arrays.equals(b.low, low)
        && Arrays.equals(b.high, high);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(low)) + Arrays.hashCode(high);
  }

  /**
   * Gymnasium's repr {@code Box(low, high, shape, float32)}, where a bound equal everywhere prints
   * as one number: {@code Box(0.0, 16.0, (7,), float32)}, {@code Box(-inf, inf, (2, 3), float32)}.
   * Unequal bounds print as a bracketed list; numpy's column padding is not reproduced.
   */
  @Override
  public String toString() {
    return "Box("
        + boundString(low)
        + ", "
        + boundString(high)
        + ", "
        + shapeString(shape)
        + ", float32)";
  }

  /** A shape as Python prints a tuple: {@code ()}, {@code (7,)}, {@code (2, 3)}. */
  public static String shapeString(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(')').toString();
  }

  private static String boundString(float[] bound) {
    boolean same = true;
    for (float v : bound) {
      same &= Float.compare(v, bound[0]) == 0;
    }
    if (bound.length > 0 && same) {
      return pythonFloat(bound[0]);
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < bound.length; i++) {
      sb.append(i == 0 ? "" : " ").append(pythonFloat(bound[i]));
    }
    return sb.append(']').toString();
  }

  /** A float32 as numpy prints a scalar: {@code 0.0}, {@code 16.0}, {@code -inf}, {@code 1e-05}. */
  static String pythonFloat(float v) {
    if (v == Float.POSITIVE_INFINITY) {
      return "inf";
    }
    if (v == Float.NEGATIVE_INFINITY) {
      return "-inf";
    }
    String s = Float.toString(v);
    int e = s.indexOf('E');
    if (e < 0) {
      return s;
    }
    String mantissa = s.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    int exp = Integer.parseInt(s.substring(e + 1));
    return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
  }

  private static int size(int[] shape) {
    long size = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "Box shape must not have negative dimensions, got " + shapeString(shape));
      }
      size *= d;
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Box shape " + shapeString(shape) + " is too large");
    }
    return (int) size;
  }

  private static float[] filled(float v, int n) {
    float[] a = new float[n];
    Arrays.fill(a, v);
    return a;
  }
}
