package dev.ghostgym.actors.enclave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.agent.PerCpuAgents;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A policy that throws, answers nonsense or is slower than the decision deadline gets the FIFO
 * answer instead, counted by reason; the run through actors counts exactly what plain calls count.
 */
class FallbackTest {
  private static final long DEADLINE_NS = 1_000_000;

  enum Fault {
    EXCEPTION,
    INVALID,
    TIMEOUT
  }

  /** A per-CPU policy with one fault. */
  record Faulty(Fault fault) implements Policy {
    @Override
    public String name() {
      return "faulty-" + fault.name().toLowerCase();
    }

    @Override
    public Model model() {
      return Model.PER_CPU;
    }

    @Override
    public long decisionCostNs() {
      return fault == Fault.TIMEOUT ? 2 * DEADLINE_NS : 0;
    }

    @Override
    public int decide(DecisionRequest r) {
      return switch (fault) {
        case EXCEPTION -> throw new IllegalStateException("policy bug");
        case INVALID -> -5;
        case TIMEOUT -> 0;
      };
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void aFailingPolicyGetsTheFifoAnswerCountedByReason(Fault fault) {
    Workload w = Workloads.load("rocksdb-shinjuku", Map.of(), 2);
    SimConfig cfg = SimConfig.of(2, 4, Overheads.NONE, 2_000).withInvariants(true);
    PolicyGuard plainGuard = new PolicyGuard(new Faulty(fault), DEADLINE_NS);
    SimResult plain = new Machine(cfg, w, new PerCpuAgents(plainGuard)).run();
    try (ActorAgents agents =
        new ActorAgents(
            new PerCpuAgents(new PolicyGuard(new Faulty(fault), DEADLINE_NS)),
            4,
            ActorAgents.sharedSystem())) {
      SimResult r = agents.bind(new Machine(cfg, w, agents)).run();
      Map<String, Long> fallbacks = agents.fallbacks();
      String reason = fault.name().toLowerCase();
      assertEquals(1, fallbacks.size(), "only " + reason + ": " + fallbacks);
      assertTrue(
          fallbacks.get(reason) >= 2_000, "a fallback for every placement at least: " + fallbacks);
      assertEquals(plainGuard.fallbacks(), fallbacks, "same counts as through plain calls");
      assertEquals(plain.traceSha256(), r.traceSha256());
      assertEquals(2_000, r.metrics().completed(), "the fallback schedules every task");
    }
  }
}
