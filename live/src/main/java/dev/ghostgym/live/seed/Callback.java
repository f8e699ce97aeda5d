package dev.ghostgym.live.seed;

/**
 * The seed scheduler's {@code callback_type} (ghost-model.md 2.13), with the ghOSt message each one
 * handles; the message name is the trigger of the decision request.
 */
public enum Callback {
  NEW("TASK_NEW"), RUNNABLE("TASK_WAKEUP"), DEPARTED("TASK_DEPARTED"), DEAD("TASK_DEAD"), YIELD("TASK_YIELD"),
  BLOCKED("TASK_BLOCKED"), PREEMPTED("TASK_PREEMPT");

  private final String message;

  Callback(String message) {
    this.message = message;
  }

  /** The ghOSt message this callback handles. */
  public String message() { return message; }

  /** The callback with wire number {@code n} (0..6). */
  public static Callback of(long n) {
    if (n < 0 || n >= values().length) {
      throw new IllegalArgumentException("callback_type is " + Long.toUnsignedString(n) + "; expected 0..6 (New, Runnable,"
          + " Departed, Dead, Yield, Blocked, Preempted)");
    }
    return values()[(int) n];
  }
}
