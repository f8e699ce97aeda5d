package dev.ghostgym.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One value of a resolved workload tree with the path it was found at, so that every typed read can
 * fail with {@code file:line: path: what was expected}. When the value was written as a
 * substitution of a top-level parameter ({@code service = ${service}}), errors name the parameter,
 * because that is what the user wrote and what {@code --set} changes.
 */
final class Node {
  private final ConfigValue value; // null when the field is absent
  private final String location; // where in the tree, e.g. sources.req.program[0].run
  private final String origin; // file:line of the value, or of its parent when absent
  private final Map<String, String> aliases;

  private Node(ConfigValue value, String location, String origin, Map<String, String> aliases) {
    this.value = value != null && value.valueType() == ConfigValueType.NULL ? null : value;
    this.location = location;
    this.origin = value != null ? ConfigError.describe(value.origin()) : origin;
    this.aliases = aliases;
  }

  /** The root object; {@code aliases} maps tree locations to the parameter substituted there. */
  static Node root(ConfigObject root, Map<String, String> aliases) {
    return new Node(root, "", null, aliases);
  }

  boolean present() {
    return value != null;
  }

  /** The path errors name: the parameter this value came from, else its location. */
  String path() {
    return aliases.getOrDefault(location, location);
  }

  ConfigError error(String problem) {
    String param = aliases.get(location);
    String via = param == null ? "" : " (used at " + location + ")";
    return new ConfigError(path(), origin, problem + via);
  }

  Node field(String key) {
    ConfigObject obj = object("an object");
    return new Node(obj.get(key), join(location, key), origin, aliases);
  }

  /** The fields of an object, in the order they were written (by line, then by key). */
  Map<String, Node> fields(String what) {
    ConfigObject obj = object(what);
    List<String> keys = new ArrayList<>(obj.keySet());
    keys.sort(
        Comparator.<String>comparingInt(k -> obj.get(k).origin().lineNumber())
            .thenComparing(k -> k));
    Map<String, Node> out = new LinkedHashMap<>();
    for (String k : keys) out.put(k, new Node(obj.get(k), join(location, k), origin, aliases));
    return out;
  }

  /**
   * Rejects fields outside {@code allowed}, so a typo like {@code hnit} is not silently ignored.
   */
  void allowOnly(Set<String> allowed) {
    for (String k : object("an object").keySet()) {
      if (!allowed.contains(k)) {
        throw field(k)
            .error(
                "unknown field '"
                    + k
                    + "'; expected one of "
                    + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  Set<String> keys() {
    return object("an object").keySet();
  }

  List<Node> list(String what) {
    if (value == null) throw error("missing; expected " + what);
    if (value.valueType() != ConfigValueType.LIST)
      throw error("expected " + what + "; got " + describeValue());
    ConfigList items = (ConfigList) value;
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      out.add(new Node(items.get(i), location + "[" + i + "]", origin, aliases));
    }
    return out;
  }

  boolean isList() {
    return value != null && value.valueType() == ConfigValueType.LIST;
  }

  boolean isObject() {
    return value != null && value.valueType() == ConfigValueType.OBJECT;
  }

  /** A scalar as text: strings as written, numbers and booleans in HOCON form. */
  String text(String what) {
    if (value == null) throw error("missing; expected " + what);
    return switch (value.valueType()) {
      case STRING -> (String) value.unwrapped();
      case NUMBER, BOOLEAN -> value.render();
      default -> throw error("expected " + what + "; got " + describeValue());
    };
  }

  double number(String what) {
    String t = text(what).trim();
    try {
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw error("expected " + what + "; got '" + t + "'");
    }
  }

  int integer(String what, int min, int max) {
    String t = text(what).trim();
    int n;
    try {
      n = Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw error("expected " + what + "; got '" + t + "'");
    }
    if (n < min || n > max) throw error("expected " + what + "; got " + n);
    return n;
  }

  boolean bool(String what) {
    String t = text(what).trim();
    return switch (t) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw error("expected " + what + "; got '" + t + "'");
    };
  }

  long duration() {
    String t = text("a duration with a unit ns/us/ms/s (e.g. 10us)");
    try {
      return Durations.parseNanos(t, path());
    } catch (ConfigError e) {
      throw error(e.problem());
    }
  }

  Dist dist() {
    String t = text("a distribution such as const(10us) or exp(1ms)");
    try {
      return Dists.parse(t, path(), baseDir());
    } catch (ConfigError e) {
      throw error(e.problem());
    }
  }

  /** Relative file names are read next to the file that wrote them, else in the working dir. */
  private Path baseDir() {
    String file = value.origin().resource() == null ? value.origin().filename() : null;
    Path parent = file == null ? null : Path.of(file).toAbsolutePath().getParent();
    return parent != null ? parent : Path.of("").toAbsolutePath();
  }

  private ConfigObject object(String what) {
    if (value == null) throw error("missing; expected " + what);
    if (value.valueType() != ConfigValueType.OBJECT)
      throw error("expected " + what + "; got " + describeValue());
    return (ConfigObject) value;
  }

  private String describeValue() {
    return switch (value.valueType()) {
      case OBJECT -> "an object";
      case LIST -> "a list";
      default -> "'" + value.unwrapped() + "'";
    };
  }

  static String join(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }
}
