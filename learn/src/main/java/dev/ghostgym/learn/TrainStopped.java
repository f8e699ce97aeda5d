package dev.ghostgym.learn;

/**
 * A training run stopped on request (Ctrl-C) at a safe point, its state saved: the message says at
 * which step and how to continue. Not an error of the learner: the command exits 130.
 */
public final class TrainStopped extends RuntimeException {
  private final long step;

  public TrainStopped(String message, long step) {
    super(message);
    this.step = step;
  }

  /** The step of the checkpoint the run left (the last one saved). */
  public long step() {
    return step;
  }
}
