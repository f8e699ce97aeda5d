package dev.ghostgym.app;

/**
 * A run the simulator stopped before it was done, for a reason that is a result rather than a bug
 * (a message queue overflowed, the machine is overloaded and its queues grow without bound). The
 * report up to that point has been printed; the command exits 1 with this one line.
 */
final class RunStoppedError extends RuntimeException {
  RunStoppedError(String message) {
    super(message);
  }
}
