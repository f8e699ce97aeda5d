package dev.ghostgym.actors.enclave;

import static dev.ghostgym.sim.SimAssertions.assertEveryTaskAccountedFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.agent.AgentEngine;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An agent that throws on every activation is restarted a bounded number of times; then the enclave
 * is destroyed as ghOSt destroys one whose agents are gone, every task finishes on CFS, and the
 * failure is counted. Before the bound, such a bug restarted the agent forever at the same instant
 * and the run never ended.
 */
class AgentRestartLimitTest {
  private static final long TASKS = 2_000;
  private static final long BUG_AT_NS = 5_000_000;

  /** The agents of {@code inner}, with a bug that throws on every activation from 5 ms on. */
  private static AgentEngine buggyFrom(AgentEngine inner, long atNs) {
    return new AgentEngine() {
      @Override
      public void attach(KernelPort port) {
        inner.attach(port);
      }

      @Override
      public void activate(int cpu, KernelPort port) {
        if (port.now() >= atNs) throw new IllegalStateException("agent bug on CPU " + cpu);
        inner.activate(cpu, port);
      }

      @Override
      public PolicyGuard guard() {
        return inner.guard();
      }

      @Override
      public int globalCpu() {
        return inner.globalCpu();
      }

      @Override
      public void reattach(int cpu, KernelPort setup) {
        inner.reattach(cpu, setup);
      }
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"fifo", "centralized-fifo"})
  @Timeout(60)
  void anAlwaysFailingAgentEndsInTheCfsFallbackCountedInsteadOfAHang(String policy) {
    AgentEngine engine = buggyFrom(Policies.create(policy, Map.of(), 3), BUG_AT_NS);
    try (ActorAgents agents = new ActorAgents(engine, 3, ActorAgents.sharedSystem())) {
      SimConfig cfg = SimConfig.of(4, 3, Overheads.PAPER, TASKS).withInvariants(true);
      Machine m =
          agents.bind(new Machine(cfg, Workloads.load("rocksdb-shinjuku", Map.of(), 4), agents));
      SimResult r = m.run();
      assertEquals(1, agents.enclaveFailures(), "the enclave was destroyed once");
      assertEquals(10, agents.agentRestarts(), "the default bound: 10 restarts, then the end");
      assertEquals(TASKS, r.metrics().arrived());
      assertTrue(r.metrics().departed() > 0, "tasks in the enclave left it for CFS");
      assertEquals(
          TASKS,
          r.metrics().completed() + r.metrics().departed(),
          "every task finished in ghOSt before the bug or was handed to CFS");
      assertEveryTaskAccountedFor(r);
    }
  }

  @Test
  @Timeout(60)
  void aHealthyRunHasNoEnclaveFailure() {
    try (ActorAgents agents = ActorAgents.create("fifo", Map.of(), 3)) {
      SimConfig cfg = SimConfig.of(4, 3, Overheads.PAPER, 500);
      agents.bind(new Machine(cfg, Workloads.load("rocksdb-shinjuku", Map.of(), 4), agents)).run();
      assertEquals(0, agents.enclaveFailures());
      assertEquals(0, agents.agentRestarts());
    }
  }
}
