package dev.ghostgym.app;

import java.util.function.Supplier;

/**
 * The boundary where a value the user typed is handed to domain code: an {@code
 * IllegalArgumentException} thrown while parsing or checking that value is the user's input error
 * (exit 2) and is reported with the option's name; the same exception later, in a running
 * simulation, is a bug (exit 1).
 */
final class Inputs {
  private Inputs() {}

  /**
   * Runs {@code parse} on the value of {@code option}; its argument errors become {@link
   * InputError}.
   */
  static <T> T parse(String option, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      String bare = option.replaceFirst("^--", "");
      if (msg.startsWith(option)) throw new InputError(msg);
      if (msg.startsWith(bare + ":")) throw new InputError("--" + msg);
      throw new InputError(option + ": " + msg);
    }
  }

  /** {@link #parse} for a check that returns nothing. */
  static void check(String option, Runnable check) {
    parse(
        option,
        () -> {
          check.run();
          return null;
        });
  }
}
