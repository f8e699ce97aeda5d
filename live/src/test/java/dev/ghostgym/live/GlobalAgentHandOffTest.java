package dev.ghostgym.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.ghostfs.kerneldouble.DoubleEnclave;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The live centralized agents hand the global agent's CPU to CFS over the kernel double, as
 * ghost-userspace's centralized FIFO does ({@code FifoScheduler::PickNextGlobalCPU}, {@code
 * FifoAgent::AgentThread}): when a CFS task becomes runnable on the spinning global agent's CPU,
 * the kernel boosts the agent ({@code BOOST_PRIO} in its word: ghost.c {@code
 * pick_next_ghost_agent}, {@code ghost_update_boost_prio}); the agent pings the first other CPU
 * whose word says {@code CPU_AVAIL}, which becomes the global agent (displacing the task it ran),
 * and yields its own CPU with RUN, so CFS gets it. On a real kernel an agent that never yields
 * starves the CPU's kernel threads and the JVM's own threads there.
 */
class GlobalAgentHandOffTest extends OverKernelDouble {
  private LiveEnclave start() {
    return start("centralized-fifo", "1-3");
  }

  @Test
  void underBoostPrioTheGlobalAgentMovesTheRoleAndYieldsItsCpuToCfs() throws Exception {
    LiveEnclave live = start();
    DoubleEnclave enclave = kernel.enclave(1);
    // The global agent spins on CPU 3 (the last CPU); the satellites of 1 and 2 sit in RUN.
    await(live, "the satellites block", () -> enclave.agentBlocked(1) && enclave.agentBlocked(2));
    assertTrue(!enclave.agentBlocked(3), "the global agent spins");
    for (int c = 1; c <= 3; c++)
      assertEquals(StatusFlags.CPU_AVAIL, enclave.agentFlags(c) & StatusFlags.CPU_AVAIL);

    long a = Gtid.of(301, 1);
    enclave.spawn(a, true);
    await(live, "the global agent puts the task on CPU 1", () -> enclave.runningOn(1) == a);

    enclave.cfsRunnable(3);
    await(
        live,
        "agent 1 is the global agent and agent 3 yielded",
        () -> !enclave.agentBlocked(1) && enclave.agentBlocked(3) && enclave.runningOn(2) == a);
    List<String> j = kernel.journal();
    int cfs = j.indexOf("kernel: cfs runnable on 3");
    int ping = j.indexOf("run: ping 1 from 3");
    int yield = j.indexOf("run: yield 3");
    assertTrue(0 <= cfs && cfs < ping && ping < yield, tail(j));
    // Agent 3 committed nothing after it saw BOOST_PRIO; the new global agent (1), woken by the
    // ping, moved the task it displaced to CPU 2, the only other CPU it serves that CFS does not
    // hold. Agents run concurrently, so that commit may come before or after agent 3's yield.
    assertTrue(
        j.subList(cfs, j.size()).stream().noneMatch(l -> l.startsWith("commit: by 3")), tail(j));
    assertTrue(j.subList(ping, j.size()).contains("commit: by 1 on 2"), tail(j));
    int flags3 = enclave.agentFlags(3);
    assertEquals(StatusFlags.BOOST_PRIO, flags3 & StatusFlags.BOOST_PRIO, "agent 3 is boosted");
    assertEquals(0, flags3 & StatusFlags.CPU_AVAIL, "CFS has CPU 3");

    // CFS leaves CPU 3: it is available again, and the new global agent fills it.
    enclave.cfsDone(3);
    assertEquals(
        StatusFlags.CPU_AVAIL,
        enclave.agentFlags(3) & (StatusFlags.CPU_AVAIL | StatusFlags.BOOST_PRIO));
    long b = Gtid.of(302, 1);
    enclave.spawn(b, true);
    await(live, "the new global agent runs a task on CPU 3", () -> enclave.runningOn(3) == b);
    assertTrue(enclave.agentBlocked(3), "agent 3 stays a satellite");
    assertNull(live.failure(), () -> "agent failure: " + live.failure() + "\n" + logBytes);
    live.close();
    assertTrue(live.destroyed());
  }
}
