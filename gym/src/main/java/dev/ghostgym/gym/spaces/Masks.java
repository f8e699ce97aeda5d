package dev.ghostgym.gym.spaces;

import java.util.List;
import java.util.SplittableRandom;

/** Reading Gymnasium-style 0/1 masks given as boolean[], byte[] (numpy int8) or int[]. */
final class Masks {
  private Masks() {}

  /** {@code mask} as booleans; it must have length {@code n} and (for numbers) only 0 and 1. */
  static boolean[] toBooleans(Object mask, int n, String owner) {
    boolean[] valid = new boolean[n];
    if (mask instanceof boolean[] b) {
      checkLength(b.length, n, owner);
      System.arraycopy(b, 0, valid, 0, n);
    } else if (mask instanceof byte[] b) {
      checkLength(b.length, n, owner);
      for (int i = 0; i < n; i++) {
        valid[i] = bit(b[i], i, owner);
      }
    } else if (mask instanceof int[] b) {
      checkLength(b.length, n, owner);
      for (int i = 0; i < n; i++) {
        valid[i] = bit(b[i], i, owner);
      }
    } else {
      throw new IllegalArgumentException(
          "mask for "
              + owner
              + " must be a boolean[], byte[] or int[] of length "
              + n
              + ", got "
              + (mask == null ? "null" : mask.getClass().getSimpleName()));
    }
    return valid;
  }

  /**
   * Index of a uniformly chosen true entry of {@code valid}, or -1 if there is none. One draw from
   * {@code rng} when some entry is valid, none otherwise.
   */
  static int chooseValid(boolean[] valid, SplittableRandom rng) {
    int count = 0;
    for (boolean v : valid) {
      if (v) {
        count++;
      }
    }
    if (count == 0) {
      return -1;
    }
    int k = rng.nextInt(count);
    for (int i = 0; i < valid.length; i++) {
      if (valid[i] && k-- == 0) {
        return i;
      }
    }
    throw new AssertionError("unreachable");
  }

  /** The parts of a composite mask (Object[] such as byte[][], or a List). */
  static Object[] parts(Object mask, int n, String owner) {
    Object[] parts;
    if (mask instanceof Object[] a) {
      parts = a;
    } else if (mask instanceof List<?> l) {
      parts = l.toArray();
    } else {
      throw new IllegalArgumentException(
          "mask for "
              + owner
              + " must be an array or List of "
              + n
              + " per-part masks, got "
              + mask.getClass().getSimpleName());
    }
    if (parts.length != n) {
      throw new IllegalArgumentException(
          "mask for " + owner + " has " + parts.length + " parts, expected " + n);
    }
    return parts;
  }

  private static void checkLength(int length, int n, String owner) {
    if (length != n) {
      throw new IllegalArgumentException(
          "mask for " + owner + " has length " + length + ", expected " + n);
    }
  }

  private static boolean bit(int value, int index, String owner) {
    if (value != 0 && value != 1) {
      throw new IllegalArgumentException(
          "mask for " + owner + " must hold only 0 and 1, got " + value + " at index " + index);
    }
    return value == 1;
  }
}
