package dev.ghostgym.live.seed;

import dev.ghostgym.actors.policy.DecisionRequest.Trigger;

/**
 * The seed scheduler's {@code callback_type} (docs/KERNEL-MODEL.md 2.13), with the ghOSt message
 * each one handles, which is the trigger of the decision request.
 */
public enum Callback {
  NEW(Trigger.TASK_NEW),
  RUNNABLE(Trigger.TASK_WAKEUP),
  DEPARTED(Trigger.TASK_DEPARTED),
  DEAD(Trigger.TASK_DEAD),
  YIELD(Trigger.TASK_YIELD),
  BLOCKED(Trigger.TASK_BLOCKED),
  PREEMPTED(Trigger.TASK_PREEMPT);

  private final Trigger message;

  Callback(Trigger message) {
    this.message = message;
  }

  /** The ghOSt message this callback handles, as the trigger of a decision request. */
  public Trigger trigger() {
    return message;
  }

  /** The callback with wire number {@code n} (0..6). */
  public static Callback of(long n) {
    if (n < 0 || n >= values().length) {
      throw new IllegalArgumentException(
          "callback_type is "
              + Long.toUnsignedString(n)
              + "; expected 0..6 (New, Runnable,"
              + " Departed, Dead, Yield, Blocked, Preempted)");
    }
    return values()[(int) n];
  }
}
