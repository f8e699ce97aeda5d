package dev.ghostgym.gym.spaces;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Deep operations on space values (nested Maps, Lists and primitive arrays): copy, equality by
 * content, the first difference as a path, and printing. Equality compares arrays element by
 * element (floats by bit pattern, so NaN equals NaN and 0.0 differs from -0.0: a deterministic env
 * repeats the same bits), Maps by key set and entries in any order, other objects by {@code
 * equals}.
 */
public final class Values {
  private Values() {}

  /**
   * A copy sharing no array, Map or List with {@code value}: arrays cloned, Maps and Lists rebuilt
   * (unmodifiable); other objects (numbers, strings, records) are taken to be immutable and shared.
   */
  public static Object deepCopy(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Map<?, ?> m) {
      LinkedHashMap<Object, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(k, deepCopy(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      for (Object v : l) {
        copy.add(deepCopy(v));
      }
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof Object[] a) {
      Object[] copy = new Object[a.length];
      for (int i = 0; i < a.length; i++) {
        copy[i] = deepCopy(a[i]);
      }
      return copy;
    }
    if (value.getClass().isArray()) {
      return cloneArray(value);
    }
    return value;
  }

  private static Object cloneArray(Object value) {
    if (value instanceof float[] a) {
      return a.clone();
    } else if (value instanceof int[] a) {
      return a.clone();
    } else if (value instanceof double[] a) {
      return a.clone();
    } else if (value instanceof long[] a) {
      return a.clone();
    } else if (value instanceof boolean[] a) {
      return a.clone();
    } else if (value instanceof byte[] a) {
      return a.clone();
    } else if (value instanceof short[] a) {
      return a.clone();
    } else if (value instanceof char[] a) {
      return a.clone();
    }
    throw new AssertionError(value.getClass());
  }

  /** Whether {@code a} and {@code b} hold the same content (see the class comment). */
  public static boolean deepEquals(Object a, Object b) {
    return firstDifference(a, b) == null;
  }

  /**
   * Where {@code a} and {@code b} first differ, as a path and the two values ({@code
   * ['runqueue'][2]['cpu_num']: 3 vs 4}), or null when they are deeply equal.
   */
  public static String firstDifference(Object a, Object b) {
    if (a == b) {
      return null;
    }
    if (a == null || b == null) {
      return ": " + toString(a) + " vs " + toString(b);
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (!ma.keySet().equals(mb.keySet())) {
        return ": keys " + ma.keySet() + " vs " + mb.keySet();
      }
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        String d = firstDifference(e.getValue(), mb.get(e.getKey()));
        if (d != null) {
          return "['" + e.getKey() + "']" + d;
        }
      }
      return null;
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      return sequenceDifference(la, lb);
    }
    if (a instanceof Object[] oa && b instanceof Object[] ob) {
      return sequenceDifference(Arrays.asList(oa), Arrays.asList(ob));
    }
    if (a.getClass().isArray() || b.getClass().isArray()) {
      if (a.getClass() != b.getClass()) {
        return ": " + a.getClass().getSimpleName() + " vs " + b.getClass().getSimpleName();
      }
      int n = Array.getLength(a);
      if (n != Array.getLength(b)) {
        return ": length " + n + " vs " + Array.getLength(b);
      }
      if (Objects.deepEquals(a, b)) {
        return null;
      }
      for (int i = 0; i < n; i++) {
        Object x = Array.get(a, i);
        Object y = Array.get(b, i);
        if (!x.equals(y)) {
          return "[" + i + "]: " + x + " vs " + y;
        }
      }
      return null;
    }
    return a.equals(b) ? null : ": " + toString(a) + " vs " + toString(b);
  }

  private static String sequenceDifference(List<?> a, List<?> b) {
    if (a.size() != b.size()) {
      return ": length " + a.size() + " vs " + b.size();
    }
    for (int i = 0; i < a.size(); i++) {
      String d = firstDifference(a.get(i), b.get(i));
      if (d != null) {
        return "[" + i + "]" + d;
      }
    }
    return null;
  }

  /**
   * {@code value} printed with array contents ({@code {a=[1.0, 2.0]}} rather than {@code
   * [F@1b6d3586}).
   */
  public static String toString(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(first ? "" : ", ").append(e.getKey()).append('=').append(toString(e.getValue()));
        first = false;
      }
      return sb.append('}').toString();
    }
    if (value instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(toString(l.get(i)));
      }
      return sb.append(']').toString();
    }
    if (value instanceof Object[] a) {
      return toString(Arrays.asList(a));
    }
    if (value.getClass().isArray()) {
      String s = Arrays.deepToString(new Object[] {value});
      return s.substring(1, s.length() - 1);
    }
    return value.toString();
  }
}
