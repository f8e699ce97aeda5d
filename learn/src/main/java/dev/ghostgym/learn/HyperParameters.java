package dev.ghostgym.learn;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hyper-parameter records to and from string maps: {@code --set algo.lr=0.001} on the command line,
 * the {@code config} object of a checkpoint. Names are the record's component names.
 */
final class HyperParameters {
  private HyperParameters() {}

  static Map<String, Object> toMap(Record r) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      try {
        Object v = c.getAccessor().invoke(r);
        m.put(c.getName(), v instanceof int[] a ? Arrays.stream(a).boxed().toList() : v);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return m;
  }

  /**
   * {@code base} with the components named in {@code values} replaced; unknown names are errors
   * listing the known ones.
   */
  @SuppressWarnings("unchecked")
  static <R extends Record> R with(R base, Map<String, ?> values) {
    RecordComponent[] cs = base.getClass().getRecordComponents();
    Map<String, Object> m = toMap(base);
    for (Map.Entry<String, ?> e : values.entrySet()) {
      if (!m.containsKey(e.getKey())) {
        throw new IllegalArgumentException(
            "algo."
                + e.getKey()
                + ": no such hyper-parameter; expected one of "
                + m.keySet().stream().map(k -> "algo." + k).toList());
      }
      m.put(e.getKey(), e.getValue());
    }
    Object[] args = new Object[cs.length];
    Class<?>[] types = new Class<?>[cs.length];
    for (int i = 0; i < cs.length; i++) {
      types[i] = cs[i].getType();
      args[i] = convert(cs[i].getName(), cs[i].getType(), m.get(cs[i].getName()));
    }
    try {
      return (R) base.getClass().getDeclaredConstructor(types).newInstance(args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object convert(String name, Class<?> type, Object v) {
    String s =
        v instanceof List<?> l
            ? String.join("x", l.stream().map(String::valueOf).toList())
            : String.valueOf(v).trim();
    try {
      if (type == int.class) return v instanceof Number n ? n.intValue() : Integer.parseInt(s);
      if (type == long.class) return v instanceof Number n ? n.longValue() : Long.parseLong(s);
      if (type == double.class)
        return v instanceof Number n ? n.doubleValue() : Double.parseDouble(s);
      if (type == float.class) return v instanceof Number n ? n.floatValue() : Float.parseFloat(s);
      if (type == boolean.class) {
        if (!s.equals("true") && !s.equals("false")) throw new NumberFormatException();
        return Boolean.parseBoolean(s);
      }
      if (type == int[].class) {
        if (v instanceof int[]) return v;
        return Arrays.stream(s.split("[x,]")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "algo."
              + name
              + ": expected "
              + (type == int[].class ? "sizes like 64x64" : type.getSimpleName())
              + ", got '"
              + s
              + "'");
    }
    return v;
  }
}
