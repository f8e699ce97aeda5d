package dev.ghostgym.live;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AssocFlags;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.ghostfs.StatusWord;
import dev.ghostgym.ghostfs.StatusWordRegion;
import java.io.PrintStream;

/** The steps of taking over a running enclave (an upgrade) that {@link LiveEnclave} runs. */
final class UpgradeSteps {
  private UpgradeSteps() {}

  static void awaitOffline(GhostDevice dev, long onlineWaitMs) {
    long deadline = System.nanoTime() + onlineWaitMs * 1_000_000;
    while (dev.agentOnline()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "upgrade: the running agent process did not go offline (agent_online still"
                + " reads 1 after "
                + onlineWaitMs
                + " ms); stop it, or start without --enclave");
      }
      LiveEnclave.sleep(10);
    }
  }

  /**
   * docs/KERNEL-MODEL.md 2.11 step 3.3: every task whose status word is in use (and is not an
   * agent) is routed to the new default queue, so that {@code discover tasks} announces it there.
   * ENOENT: the task died or left (its word is freed); ESTALE: retried once with the fresh barrier.
   */
  static void reassociate(GhostDevice dev, int queueFd, PrintStream log) {
    StatusWordRegion words = dev.statusWords();
    int moved = 0;
    for (int i = 0; i < words.capacity(); i++) {
      StatusWord w = words.read(i);
      if (!w.inUse() || w.isAgent() || w.gtid() <= 0) continue;
      int r = dev.assocQueue(queueFd, w.gtid(), w.barrier());
      if (r == -AbiConstants.ESTALE) r = dev.assocQueue(queueFd, w.gtid(), words.barrier(i));
      if (r == -AbiConstants.ENOENT) {
        if ((words.flags(i) & StatusFlags.F_CANFREE) != 0)
          dev.freeStatusWord(new SwInfo(words.id(), i));
      } else if (r < 0) {
        log.println(
            "ghost-gym live: upgrade: could not move task "
                + w.gtid()
                + " to the new queue: errno "
                + -r);
      } else if ((r & (AssocFlags.ASSOC_SF_ALREADY | AssocFlags.ASSOC_SF_BRAND_NEW)) == 0) {
        moved++;
      }
    }
    log.println(
        "ghost-gym live: upgrade: " + moved + " running task(s) moved to the new agents' queue");
  }
}
