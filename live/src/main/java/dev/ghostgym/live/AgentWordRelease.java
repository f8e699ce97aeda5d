package dev.ghostgym.live;

import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.ghostfs.StatusWordRegion;
import java.io.PrintStream;
import java.util.List;

/**
 * Frees the agents' status words on exit, as LocalAgent's destructor does, for {@link LiveEnclave}.
 */
final class AgentWordRelease {
  private AgentWordRelease() {}

  private static final long CANFREE_PATIENCE_MS = 1_000;

  // ~LocalAgent: wait for the kernel to release each agent's status word, then free it.
  static void free(GhostDevice dev, AgentMemory mem, List<Integer> threadCpus, PrintStream log) {
    if (mem == null) return;
    StatusWordRegion words = dev.statusWords();
    for (int cpu : threadCpus) {
      int i = mem.agentWord(cpu);
      if (i < 0) continue;
      long deadline = System.nanoTime() + CANFREE_PATIENCE_MS * 1_000_000;
      while ((words.flags(i) & StatusFlags.F_CANFREE) == 0 && System.nanoTime() < deadline)
        LiveEnclave.sleep(1);
      if ((words.flags(i) & StatusFlags.F_CANFREE) == 0) {
        log.println(
            "ghost-gym live: the status word of CPU "
                + cpu
                + "'s agent did not become CANFREE within "
                + CANFREE_PATIENCE_MS
                + " ms; left to the kernel");
        continue;
      }
      try {
        dev.freeStatusWord(new SwInfo(words.id(), i));
        mem.forgetAgentWord(cpu);
      } catch (RuntimeException e) {
        log.println(
            "ghost-gym live: freeing the status word of CPU "
                + cpu
                + "'s agent failed: "
                + e.getMessage());
      }
    }
  }
}
