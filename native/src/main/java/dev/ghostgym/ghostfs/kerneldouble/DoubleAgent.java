package dev.ghostgym.ghostfs.kerneldouble;

/** The agent of one CPU: the thread that wrote {@code become agent}, its queue and status word. */
final class DoubleAgent {
  final Thread thread;
  final DoubleQueue queue;
  final int word;

  /** Set by a wake-up (a message, a ping, a timer); a RUN yield returns when it is set. */
  boolean wakePending;

  /** Blocked in a RUN yield (CFS may then have the CPU). */
  boolean inRun;

  DoubleAgent(Thread thread, DoubleQueue queue, int word) {
    this.thread = thread;
    this.queue = queue;
    this.word = word;
  }
}
