package dev.ghostgym.live;

import java.io.PrintStream;
import java.util.List;

/** Wakes, interrupts and joins {@link LiveEnclave}'s agent threads when the agents stop. */
final class AgentThreadStops {
  private AgentThreadStops() {}

  static void wakeAndInterrupt(List<Thread> threads, List<Integer> threadCpus, AgentTurns turns) {
    for (int i = 0; i < threads.size(); i++) {
      Thread t = threads.get(i);
      if (!t.isAlive()) continue;
      try {
        turns.wake(threadCpus.get(i));
      } catch (RuntimeException e) {
        // the agent may be gone already
      }
      t.interrupt();
    }
  }

  /** Joins the threads (not the calling one); false if one of them did not stop. */
  static boolean joinAll(
      List<Thread> threads, List<Integer> threadCpus, long joinMs, PrintStream log) {
    boolean allStopped = true;
    for (int i = 0; i < threads.size(); i++) {
      Thread t = threads.get(i);
      if (t == Thread.currentThread()) continue;
      try {
        t.join(joinMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (t.isAlive()) {
        log.println(
            "ghost-gym live: the agent thread of CPU " + threadCpus.get(i) + " did not stop");
        allStopped = false;
      }
    }
    return allStopped;
  }
}
