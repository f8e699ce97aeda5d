package dev.ghostgym.actors.enclave;

import static dev.ghostgym.sim.SimAssertions.assertEveryTaskAccountedFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole simulations through the actors, with the invariant checker on: stale commits, BOOST_PRIO,
 * agent crashes, hot swap and enclave destruction, and every task accounted for at the end.
 */
class ActorAgentsTest {
  private static final long TASKS = 4_000;

  private static SimConfig config(int cpus, Overheads o) {
    return SimConfig.of(cpus, 3, o, TASKS).withInvariants(true);
  }

  private static Workload rocksdb(int cpus) {
    return Workloads.load("rocksdb-shinjuku", Map.of(), cpus);
  }

  @Test
  void staleCommitsAreRetriedAndCounted() {
    try (ActorAgents agents = ActorAgents.create("fifo", Map.of(), 3)) {
      SimResult r = agents.bind(new Machine(config(4, Overheads.PAPER), rocksdb(4), agents)).run();
      long stale = r.metrics().txnOutcomes().getOrDefault("AGENT_STALE", 0L);
      assertTrue(stale > 100, "AGENT_STALE outcomes: " + r.metrics().txnOutcomes());
      assertEquals(
          TASKS, r.metrics().completed(), "every task whose commit went stale ran in the end");
    }
  }

  @Test
  void underCfsAntagonistsAgentsYieldWithRtlaOnIdle() {
    Workload w = Workloads.load("antagonist", Map.of(), 8);
    SimConfig cfg = SimConfig.of(8, 3, Overheads.PAPER, 3_000).withInvariants(true);
    SimResult plain = new Machine(cfg, w, Policies.create("fifo", Map.of(), 3)).run();
    try (ActorAgents agents = ActorAgents.create("fifo", Map.of(), 3)) {
      Wiretap tap = new Wiretap(agents);
      SimResult r = agents.bind(new Machine(cfg, w, tap)).run();
      assertTrue(
          tap.boostYieldsWithWork > 0,
          "yields under BOOST_PRIO with work pending: " + tap.boostYieldsWithWork);
      assertTrue(
          r.metrics().messagesByType().getOrDefault("TASK_PREEMPT", 0L) > 0,
          "CFS preempted ghOSt tasks");
      assertEquals(plain.traceSha256(), r.traceSha256(), "same run as through plain calls");
      assertEquals(3_000, r.metrics().completed());
      assertEveryTaskAccountedFor(r);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"fifo", "centralized-fifo"})
  void aCrashedAgentIsRestartedAndReattachesWithNoTaskLost(String policy) {
    try (ActorAgents agents = ActorAgents.create(policy, Map.of(), 3)) {
      Machine m = agents.bind(new Machine(config(4, Overheads.PAPER), rocksdb(4), agents));
      m.at(20_000_000, () -> agents.crashAgent(0)); // the global agent in the centralized model
      m.at(40_000_000, () -> agents.crashAgent(2));
      SimResult r = m.run();
      assertEquals(2, agents.agentRestarts());
      long announced = r.metrics().messagesByType().get("TASK_NEW");
      assertTrue(
          announced > r.metrics().arrived(),
          "re-attached agents had the kernel re-announce the tasks: "
              + announced
              + " TASK_NEW for "
              + r.metrics().arrived()
              + " tasks");
      assertEquals(TASKS, r.metrics().completed(), "every task completed after the restarts");
      assertEveryTaskAccountedFor(r);
      assertTrue(r.metrics().txnOutcomes().containsKey("COMPLETE"));
    }
  }

  @Test
  void anExceptionInTheEngineIsACrashToo() {
    try (ActorAgents agents = ActorAgents.create("fifo", Map.of(), 3)) {
      Wiretap tap = new Wiretap(agents);
      Machine m = agents.bind(new Machine(config(4, Overheads.PAPER), rocksdb(4), tap));
      m.at(30_000_000, () -> tap.failNextPoll(1));
      SimResult r = m.run();
      assertEquals(1, agents.agentRestarts());
      assertTrue(
          r.metrics().messagesByType().get("TASK_NEW") > r.metrics().arrived(),
          "the agent re-attached");
      assertEquals(TASKS, r.metrics().completed());
      assertEveryTaskAccountedFor(r);
    }
  }

  @Test
  void thePolicyCanBeSwappedWhileTheEnclaveRuns() {
    SimConfig cfg = config(4, Overheads.NONE);
    try (ActorAgents before = ActorAgents.create("centralized-fifo", Map.of(), 3)) {
      SimResult r = before.bind(new Machine(cfg, rocksdb(4), before)).run();
      assertEquals(
          0, r.metrics().preemptions(), "centralized FIFO runs every request to completion");
    }
    try (ActorAgents agents = ActorAgents.create("centralized-fifo", Map.of(), 3)) {
      Machine m = agents.bind(new Machine(cfg, rocksdb(4), agents));
      m.at(10_000_000, () -> agents.swapPolicy("shinjuku", Map.of("slice", "20us")));
      SimResult r = m.run();
      assertEquals("shinjuku", agents.engine().guard().policy().name());
      assertTrue(
          r.metrics().preemptions() > 0,
          "after the swap, long requests are preempted: " + r.metrics().preemptions());
      assertEquals(TASKS, r.metrics().completed(), "no task lost in the swap");
      assertEveryTaskAccountedFor(r);
      assertEquals(Map.of(), agents.fallbacks());
    }
  }

  @Test
  void aSwapToAnUnknownPolicyOrOneForOtherAgentsIsRefused() {
    try (ActorAgents agents = ActorAgents.create("fifo", Map.of(), 3)) {
      Machine m = agents.bind(new Machine(config(2, Overheads.NONE), rocksdb(2), agents));
      IllegalArgumentException[] errors = new IllegalArgumentException[2];
      m.at(
          1_000_000,
          () -> {
            errors[0] =
                assertThrows(IllegalArgumentException.class, () -> agents.swapPolicy("fastest"));
            errors[1] =
                assertThrows(IllegalArgumentException.class, () -> agents.swapPolicy("shinjuku"));
          });
      m.run();
      assertTrue(errors[0].getMessage().contains("expected one of"), errors[0].getMessage());
      assertTrue(errors[1].getMessage().contains("CENTRALIZED"), errors[1].getMessage());
      assertEquals("fifo", agents.engine().guard().policy().name(), "the old policy stays");
    }
  }

  @Test
  void destroyingTheEnclaveHandsEveryTaskBackToCfs() {
    try (ActorAgents agents = ActorAgents.create("fifo", Map.of(), 3)) {
      Machine m = agents.bind(new Machine(config(4, Overheads.PAPER), rocksdb(4), agents));
      m.at(30_000_000, agents::destroy);
      SimResult r = m.run();
      assertTrue(r.metrics().departed() > 0, "tasks alive at the destruction departed to CFS");
      assertTrue(r.metrics().messagesByType().getOrDefault("TASK_DEPARTED", 0L) > 0);
      assertEveryTaskAccountedFor(r);
      assertEquals(0, r.stillRunning(), "the departed tasks finished under CFS");
    }
  }

  @Test
  void closeIsIdempotentAndEndsTheAgents() {
    ActorAgents agents = ActorAgents.create("fifo", Map.of(), 3);
    agents.bind(new Machine(config(2, Overheads.NONE), rocksdb(2), agents)).run();
    agents.close();
    agents.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, agents::fallbacks);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
