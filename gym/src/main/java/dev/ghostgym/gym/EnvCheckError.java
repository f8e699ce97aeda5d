package dev.ghostgym.gym;

/**
 * A failed {@link EnvChecker} check: {@link #check()} names it, the message says what was seen and
 * expected.
 */
public final class EnvCheckError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String check;

  public EnvCheckError(String check, String message) {
    this(check, message, null);
  }

  public EnvCheckError(String check, String message, Throwable cause) {
    super("env check '" + check + "' failed: " + message, cause);
    this.check = check;
  }

  /** The failed check's name, one of {@link EnvChecker}'s constants. */
  public String check() {
    return check;
  }
}
