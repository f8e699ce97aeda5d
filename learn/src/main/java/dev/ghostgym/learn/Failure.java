package dev.ghostgym.learn;

/**
 * One line describing an exception for an error message: its message, or its type when it has none.
 */
final class Failure {
  private Failure() {}

  static String line(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) return e.getClass().getSimpleName();
    return m.lines().findFirst().orElse(m);
  }
}
