package dev.ghostgym.app;

/** Bad input from the user: reported in one line, exit status 2. */
final class InputError extends RuntimeException {
  InputError(String message) {
    super(message);
  }
}
