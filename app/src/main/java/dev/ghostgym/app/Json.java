package dev.ghostgym.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands' JSON reports, written by Jackson. A report is a tree of maps, lists, strings,
 * numbers and booleans; anything else is written as its {@code toString()} (enums by name, a CPU
 * list as its text), doubles are rounded to 6 decimals (an integral one is written without a
 * fraction) and NaN or an infinity becomes {@code null}, so that reports are short, stable and
 * valid JSON. Objects are indented by two spaces with {@code "key": value} and arrays stay on one
 * line, the layout the reports have always had (scripts grep it).
 */
public final class Json {
  private static final ObjectWriter WRITER = new ObjectMapper().writer(printer());

  private Json() {}

  /** {@code value} as indented JSON text ending with a newline. */
  public static String write(Object value) {
    try {
      return WRITER.writeValueAsString(plain(value)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report could not be written as JSON: " + e.getMessage(), e);
    }
  }

  private static DefaultPrettyPrinter printer() {
    Separators s =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withArrayValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    DefaultPrettyPrinter p = new DefaultPrettyPrinter(s);
    p.indentObjectsWith(new DefaultIndenter("  ", "\n"));
    p.indentArraysWith(DefaultPrettyPrinter.NopIndenter.instance);
    return p;
  }

  /** The tree with every leaf turned into what the report shows (see the class comment). */
  private static Object plain(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) return v;
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
      return out;
    }
    if (v instanceof Iterable<?> it) {
      List<Object> out = new ArrayList<>();
      for (Object x : it) out.add(plain(x));
      return out;
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) return null;
      if (d == Math.rint(d) && Math.abs(d) < 1e15) return (long) d;
      return Math.round(d * 1e6) / 1e6;
    }
    if (v instanceof Number) return v;
    return v.toString();
  }
}
