package dev.ghostgym.emulation;

import static dev.ghostgym.sim.SimAssertions.assertEveryTaskAccountedFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.live.LiveEnclave;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveEnclave} with its agent threads, run against the emulated kernel: the simulator hands
 * each activation to the thread of the activated CPU. The threads run the same loop as on a ghOSt
 * machine (lock, pass, unlock, commit or yield), so these tests cover the live agent loop, the
 * failure and watchdog safety and the rebootless upgrade.
 */
class LiveEnclaveEmulationTest {
  private static final long MS = 1_000_000;

  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  private String log() {
    return logBytes.toString(StandardCharsets.UTF_8);
  }

  /** One emulated run whose agents are {@code engine} on live agent threads. */
  private final class Rig {
    final EmulatedKernel kernel = Runs.kernel(AbiVersion.V91, 0);
    final LiveEnclave live;
    final Machine machine;

    Rig(
        AgentHost engine,
        LiveEnclave.Options o,
        String workload,
        Map<String, String> set,
        int cpus,
        long tasks) {
      live = new LiveEnclave(kernel, engine, kernel.turns(), o, log);
      machine =
          kernel.boot(
              Runs.config(cpus, 3, Overheads.PAPER, tasks),
              Runs.workload(workload, set, cpus),
              kernel.threaded(live));
    }

    SimResult run() {
      try {
        return machine.run();
      } finally {
        live.close();
      }
    }
  }

  /** FIFO agents (seed 3) on live agent threads of {@code kernel}, not yet attached. */
  private LiveEnclave fifoAgents(EmulatedKernel kernel, LiveEnclave.Options o) {
    return new LiveEnclave(kernel, Policies.create("fifo", Map.of(), 3), kernel.turns(), o, log);
  }

  // The agent threads' loop, the deferred become-agent and discovery of the setup, and the handing
  // over of turns change nothing the machine sees: same trace as plain simulation.
  @Test
  void agentThreadsGiveTheSameRunAsPlainSimulation() {
    for (String policy : new String[] {"fifo", "centralized-fifo"}) {
      SimResult plain =
          new Machine(
                  Runs.config(2, 3, Overheads.PAPER, 1_500),
                  Runs.workload("rocksdb-shinjuku", Map.of(), 2),
                  Policies.create(policy, Map.of(), 3))
              .run();
      Rig rig =
          new Rig(
              Policies.create(policy, Map.of(), 3),
              LiveEnclave.Options.emulated(),
              "rocksdb-shinjuku",
              Map.of(),
              2,
              1_500);
      SimResult live = rig.run();

      assertEquals(1_500, live.metrics().completed(), policy);
      assertEquals(plain.metrics().responseSumNs(), live.metrics().responseSumNs(), policy);
      assertEquals(plain.metrics().txnOutcomes(), live.metrics().txnOutcomes(), policy);
      assertEquals(plain.traceSha256(), live.traceSha256(), policy);
      assertEquals(
          live.metrics().agentActivations(),
          rig.live.passes(),
          policy + ": one pass per activation");
      assertEquals(
          live.metrics().messagesTotal(),
          rig.live.metrics().messages(),
          policy + ": every message decoded");
      assertTrue(
          rig.live.metrics().txnOutcomes().get("COMPLETE") > 1_000,
          policy + ": " + rig.live.metrics());
      assertTrue(rig.live.metrics().waitToRunUs().count() > 1_000, policy);
      assertTrue(rig.live.destroyed(), policy + ": destroyed on close");
      assertEquals(null, rig.live.failure());
    }
  }

  /** Agents whose pass on {@code cpu} throws from its {@code n}-th activation on. */
  private static AgentHost failingOn(AgentHost inner, int cpu, int n) {
    return new AgentHost() {
      int passes;

      @Override
      public void attach(KernelPort port) {
        inner.attach(port);
      }

      @Override
      public void activate(int c, KernelPort port) {
        if (c == cpu && ++passes >= n) throw new IllegalStateException("policy bug on CPU " + cpu);
        inner.activate(c, port);
      }
    };
  }

  // A failing agent thread: the other agents are stopped and the enclave destroyed, so every task
  // ends in CFS (departed) and none is left runnable on a CPU without an agent.
  @Test
  void aFailingAgentDestroysTheEnclaveAndEveryTaskGoesBackToCfs() {
    Rig rig =
        new Rig(
            failingOn(Policies.create("fifo", Map.of(), 3), 1, 200),
            LiveEnclave.Options.emulated(),
            "rocksdb-shinjuku",
            Map.of(),
            2,
            3_000);
    SimResult r = rig.run();

    assertTrue(rig.live.failure() instanceof IllegalStateException);
    assertEquals("policy bug on CPU 1", rig.live.failure().getMessage());
    assertTrue(rig.live.destroyed());
    assertEquals(0, r.stillRunning(), "no task stranded");
    assertTrue(r.metrics().departed() > 0, "tasks went back to CFS: " + r.metrics().departed());
    assertEveryTaskAccountedFor(r);
    assertTrue(
        log()
            .contains(
                "the agent of CPU 1 failed: java.lang.IllegalStateException: policy bug on CPU 1"),
        log());
    assertTrue(log().contains("destroying the enclave (an agent failed)"), log());
  }

  // What the destruction prevents: an agent that dies without it strands the tasks queued on its
  // CPU.
  @Test
  void withoutDestructionADeadAgentStrandsItsTasks() {
    Machine m =
        new Machine(
            Runs.config(2, 3, Overheads.PAPER, 3_000),
            Runs.workload("rocksdb-shinjuku", Map.of(), 2),
            Policies.create("fifo", Map.of(), 3));
    m.at(20 * MS, () -> m.killAgent(1));
    SimResult r = m.run();
    assertTrue(r.stillRunning() > 0, "stranded: " + r.stillRunning());
  }

  // The watchdog reads the status words of the tasks the agents know: with one CPU and 5 ms range
  // queries, GETs queued behind a scan wait more than 1 ms, never 1 s.
  @Test
  void theWatchdogCountsTasksLeftWaitingLongerThanItsThreshold() {
    Rig tight =
        new Rig(
            Policies.create("fifo", Map.of(), 3),
            LiveEnclave.Options.emulated().withWatchdog(MS, false),
            "rocksdb-shinjuku",
            Map.of("load", "0.6"),
            1,
            2_000);
    SimResult r = tight.run();
    assertEquals(2_000, r.metrics().completed());
    assertTrue(tight.live.watchdogAlarms() > 10, "alarms: " + tight.live.watchdogAlarms());
    assertTrue(log().contains("watchdog: task "), log());
    assertEquals(0, r.metrics().departed(), "an alarm alone destroys nothing");

    Rig loose =
        new Rig(
            Policies.create("fifo", Map.of(), 3),
            LiveEnclave.Options.emulated().withWatchdog(1_000 * MS, false),
            "rocksdb-shinjuku",
            Map.of("load", "0.6"),
            1,
            2_000);
    loose.run();
    assertEquals(0, loose.live.watchdogAlarms());
  }

  @Test
  void aWatchdogThatDestroysSendsTheTasksToCfs() {
    Rig rig =
        new Rig(
            Policies.create("fifo", Map.of(), 3),
            LiveEnclave.Options.emulated().withWatchdog(MS, true),
            "rocksdb-shinjuku",
            Map.of("load", "0.6"),
            1,
            2_000);
    SimResult r = rig.run();
    assertTrue(rig.live.destroyed());
    assertTrue(r.metrics().departed() > 0);
    assertEquals(0, r.stillRunning());
    assertTrue(log().contains("destroying the enclave (the watchdog fired)"), log());
  }

  // Rebootless upgrade: the old agent process goes offline and its threads exit (their agents die);
  // a new process waits for agent_online to read 0, becomes the agents, moves every live task to
  // its own queue, discovers the tasks and runs them to the end. No task is lost or sent to CFS.
  @Test
  void aNewAgentProcessTakesOverARunningEnclave() {
    EmulatedKernel kernel = Runs.kernel(AbiVersion.V91, 0);
    LiveEnclave old = fifoAgents(kernel, LiveEnclave.Options.emulated().withDestroyOnClose(false));
    LiveEnclave next = fifoAgents(kernel, LiveEnclave.Options.emulated().withUpgrade(true));
    Machine m =
        kernel.boot(
            Runs.config(2, 3, Overheads.PAPER, 4_000),
            Runs.workload("rocksdb-shinjuku", Map.of("load", "0.9"), 2),
            kernel.threaded(old));
    long[] oldPasses = new long[1];
    m.at(
        30 * MS,
        () -> {
          old.close(); // hand-off: offline, threads gone, enclave kept
          oldPasses[0] = old.passes();
        });
    m.at(30 * MS + 1, () -> m.attachAgents(kernel.threaded(next)));
    SimResult r;
    try {
      r = m.run();
    } finally {
      next.close();
    }

    assertFalse(old.destroyed(), "the old process handed the enclave over");
    assertEquals(oldPasses[0], old.passes(), "the old agents ran no more");
    assertTrue(next.passes() > 1_000, "the new agents ran: " + next.passes());
    assertEquals(4_000, r.metrics().completed());
    assertEquals(0, r.metrics().departed());
    assertEquals(0, r.stillRunning());
    assertTrue(next.metrics().messagesByType().get("TASK_NEW") > 0);
    assertTrue(log().contains("upgrade: "), log());
  }

  // An upgrade waits for agent_online to read 0; if the old process never goes offline it gives up
  // with a message saying so.
  @Test
  void anUpgradeGivesUpWhenTheRunningAgentsStayOnline() {
    EmulatedKernel kernel = Runs.kernel(AbiVersion.V91, 0);
    LiveEnclave old = fifoAgents(kernel, LiveEnclave.Options.emulated());
    LiveEnclave next =
        fifoAgents(kernel, LiveEnclave.Options.emulated().withUpgrade(true).withOnlineWaitMs(50));
    Machine m =
        kernel.boot(
            Runs.config(2, 3, Overheads.PAPER, 500),
            Runs.workload("rocksdb-shinjuku", Map.of(), 2),
            kernel.threaded(old));
    m.at(5 * MS, () -> m.attachAgents(kernel.threaded(next)));
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, m::run);
      assertTrue(e.getMessage().contains("agent_online still reads 1 after 50 ms"), e.getMessage());
    } finally {
      next.close();
      old.close();
    }
  }

  // While the old agents are still on their CPUs, "become agent" answers EBUSY; the new agents
  // retry
  // until their patience runs out and the failure names EBUSY.
  @Test
  void becomeAgentRetriesEbusyUntilItsPatienceRunsOut() {
    EmulatedKernel kernel = Runs.kernel(AbiVersion.V91, 0);
    LiveEnclave old = fifoAgents(kernel, LiveEnclave.Options.emulated());
    LiveEnclave next =
        fifoAgents(kernel, LiveEnclave.Options.emulated().withUpgrade(true).withPatienceMs(30));
    Machine m =
        kernel.boot(
            Runs.config(2, 3, Overheads.PAPER, 500),
            Runs.workload("rocksdb-shinjuku", Map.of(), 2),
            kernel.threaded(old));
    m.at(
        5 * MS,
        () -> {
          kernel.withdrawOnline(); // offline, but its agents stay on the CPUs
          m.attachAgents(kernel.threaded(next));
        });
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, m::run);
      assertTrue(e.getMessage().contains("EBUSY"), e.getMessage());
      assertSame(next.failure(), e.getCause());
    } finally {
      next.close();
      old.close();
    }
  }
}
