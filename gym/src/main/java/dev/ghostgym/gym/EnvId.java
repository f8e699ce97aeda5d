package dev.ghostgym.gym;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An environment id split as Gymnasium does: {@code [namespace/]name[-vVERSION]}, for example
 * {@code ghost/SeedCompat-v0} is namespace {@code ghost}, name {@code SeedCompat}, version 0.
 * Namespace and version are optional (null when absent).
 */
public record EnvId(String namespace, String name, Integer version) {
  // Gymnasium's ENV_ID_RE (gymnasium/envs/registration.py)
  private static final Pattern ID =
      Pattern.compile(
          "^(?:(?<namespace>[\\w:-]+)/)?(?:(?<name>[\\w:.-]+?))(?:-v(?<version>\\d+))?$");

  /** Parses {@code id}, or throws naming the expected form. */
  public static EnvId parse(String id) {
    Matcher m = id == null ? null : ID.matcher(id);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "Malformed environment id '"
              + id
              + "': expected [namespace/]name[-vN] with letters, digits, '_', ':', '.', '-' "
              + "(for example 'ghost/SeedCompat-v0')");
    }
    String version = m.group("version");
    return new EnvId(
        m.group("namespace"), m.group("name"), version == null ? null : Integer.valueOf(version));
  }

  /** The id without its version, {@code ghost/SeedCompat}. */
  public String unversioned() {
    return (namespace == null ? "" : namespace + "/") + name;
  }

  @Override
  public String toString() {
    return unversioned() + (version == null ? "" : "-v" + version);
  }
}
