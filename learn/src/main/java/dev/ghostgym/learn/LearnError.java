package dev.ghostgym.learn;

/**
 * A learning run that cannot go on for a reason the user can fix: the PyTorch engine is missing or
 * broken, a checkpoint is unreadable or does not fit the environment. The message is one line that
 * names the input and what was expected.
 */
public final class LearnError extends RuntimeException {
  public LearnError(String message) {
    super(message);
  }

  public LearnError(String message, Throwable cause) {
    super(message, cause);
  }
}
