package dev.ghostgym.app;

/**
 * Bad input from the user: an option, argument or field that cannot be used. Reported in one line
 * naming the option and what was expected, exit status 2, always before anything is written. Domain
 * code throws {@code IllegalArgumentException}; only the command line knows which of those come
 * from a value the user typed, so {@link Inputs#parse} turns them into this type at that boundary
 * and an {@code IllegalArgumentException} anywhere else stays an internal error (exit 1).
 */
final class InputError extends RuntimeException {
  InputError(String message) {
    super(message);
  }
}
