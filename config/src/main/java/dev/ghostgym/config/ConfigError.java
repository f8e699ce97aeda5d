package dev.ghostgym.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import java.util.Optional;

/**
 * A configuration or workload value that cannot be used, reported the way a user can act on it:
 * where it was written ({@code file:line}, when Typesafe Config knows it), the HOCON path of the
 * value ({@code sources.get.service}, or the top-level parameter it came from) and what was
 * expected instead. The message reads {@code "<origin>: <path>: <problem>"}; unknown parts are left
 * out, so a message never starts with an empty field.
 */
public final class ConfigError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String origin;
  private final String problem;

  /** An error at {@code path} (may be empty) with no known origin. */
  public ConfigError(String path, String problem) {
    this(path, null, problem, null);
  }

  /** An error at {@code path} written at {@code origin} ({@code file:line}, or null). */
  public ConfigError(String path, String origin, String problem) {
    this(path, origin, problem, null);
  }

  private ConfigError(String path, String origin, String problem, Throwable cause) {
    super(format(origin, path, problem), cause);
    this.path = path == null ? "" : path;
    this.origin = origin;
    this.problem = problem;
  }

  /**
   * Translates an exception of Typesafe Config (syntax error, unresolved substitution, missing
   * file) so that callers only ever catch {@code ConfigError}; the origin keeps its line number.
   */
  public static ConfigError of(ConfigException e) {
    String where = describe(e.origin());
    String text = e.getMessage();
    // Typesafe prefixes its message with the origin description; we print our own origin.
    if (e.origin() != null && text.startsWith(e.origin().description() + ": ")) {
      text = text.substring(e.origin().description().length() + 2);
    }
    return new ConfigError("", where, text, e);
  }

  /** {@code file:line} (or resource/URL/description) of a Typesafe origin; null if unknown. */
  public static String describe(ConfigOrigin origin) {
    if (origin == null) return null;
    // Resource before file name: a built-in reads the same whether it sits in a jar or not.
    String where =
        origin.resource() != null
            ? origin.resource()
            : origin.filename() != null
                ? origin.filename()
                : origin.url() != null ? origin.url().toString() : origin.description();
    return origin.lineNumber() > 0 ? where + ":" + origin.lineNumber() : where;
  }

  /** HOCON path of the offending value; empty when the error concerns a whole file. */
  public String path() {
    return path;
  }

  /** Where the value was written ({@code file:line}), when known. */
  public Optional<String> origin() {
    return Optional.ofNullable(origin);
  }

  /** What is wrong and what was expected, without origin and path. */
  public String problem() {
    return problem;
  }

  private static String format(String origin, String path, String problem) {
    StringBuilder sb = new StringBuilder();
    if (origin != null && !origin.isEmpty()) sb.append(origin).append(": ");
    if (path != null && !path.isEmpty()) sb.append(path).append(": ");
    return sb.append(problem).toString();
  }
}
