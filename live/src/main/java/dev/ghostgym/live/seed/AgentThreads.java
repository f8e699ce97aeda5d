package dev.ghostgym.live.seed;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tracks the agent CPUs the bridge hears from, and warns once when more than one agent thread
 * talks.
 */
final class AgentThreads {
  private final PrintStream log;
  private final Set<Integer> agentCpus = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean warned = new AtomicBoolean();

  AgentThreads(PrintStream log) {
    this.log = log;
  }

  /** Records a message's agent CPU (negative: none), warning when a second one shows up. */
  void saw(int cpu) {
    if (cpu >= 0 && agentCpus.add(cpu) && agentCpus.size() > 1) {
      warnOnce("metrics for CPUs " + agentCpus);
    }
  }

  /** The number of distinct agent CPUs seen. */
  int count() {
    return agentCpus.size();
  }

  void warnOnce(String why) {
    if (warned.compareAndSet(false, true)) {
      log.println(
          "seed-bridge: warning: "
              + why
              + ": more than one agent thread is talking to the bridge. The"
              + " prototype's answers carry no tag and all agent threads listen on one action port, so an answer can"
              + " reach the wrong thread; run the agent with one CPU (--ghost_cpus N)");
    }
  }
}
