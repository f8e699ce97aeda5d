package dev.ghostgym.emulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.live.LiveEnclave;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.port.PrioTable;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The live runner hands the application's PrioTable to every agent port (setup and per-CPU), so the
 * agents read hints from it; without one it says that every hint is 0.
 */
class LivePrioTableHookTest {
  /** A table that says every thread is in work class 9 and counts the agents' reads. */
  private static final class Nines implements PrioTable {
    final AtomicLong reads = new AtomicLong();

    @Override
    public boolean present() {
      return true;
    }

    @Override
    public long updates() {
      return 1;
    }

    @Override
    public int workClass(long gtid) {
      reads.incrementAndGet();
      return 9;
    }

    @Override
    public boolean runnable(long gtid) {
      return true;
    }
  }

  private static String run(PrioTable table, AtomicLong wrongPorts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    AgentHost inner = Policies.create("centralized-fifo", Map.of(), 3);
    AgentHost engine =
        new AgentHost() {
          @Override
          public void attach(KernelPort port) {
            if (port.prioTable() != table) wrongPorts.incrementAndGet();
            inner.attach(port);
          }

          @Override
          public void activate(int cpu, KernelPort port) {
            if (port.prioTable() != table) wrongPorts.incrementAndGet();
            inner.activate(cpu, port);
          }
        };
    EmulatedKernel kernel = Runs.kernel(AbiVersion.V91, 0);
    LiveEnclave live =
        new LiveEnclave(kernel, engine, kernel.turns(), LiveEnclave.Options.emulated(), log);
    if (table != PrioTable.NONE) live.prioTable(table);
    Machine m =
        kernel.boot(
            Runs.config(2, 3, Overheads.PAPER, 50),
            Runs.workload("mmc", Map.of(), 2),
            kernel.threaded(live));
    try {
      m.run();
    } finally {
      live.close();
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyAgentPortReadsTheApplicationsTable() {
    Nines table = new Nines();
    AtomicLong wrong = new AtomicLong();
    String log = run(table, wrong);
    assertEquals(0, wrong.get(), "a port without the table");
    assertTrue(table.reads.get() >= 50, "the agents read a hint per task: " + table.reads.get());
    assertFalse(log.contains("no application PrioTable"), log);
  }

  @Test
  void withoutATableTheRunSaysEveryHintIsZero() {
    AtomicLong wrong = new AtomicLong();
    String log = run(PrioTable.NONE, wrong);
    assertEquals(0, wrong.get());
    assertTrue(
        log.contains("ghost-gym live: no application PrioTable is read; every task's hint is 0"),
        log);
  }
}
