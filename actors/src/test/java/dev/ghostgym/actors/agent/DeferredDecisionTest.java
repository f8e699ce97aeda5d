package dev.ghostgym.actors.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.ForwardingPolicy;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A decision answered later (the simulation pauses, the agent resumes at the same instant) changes
 * nothing: the run equals the same run with every decision answered at once. This is what lets a
 * gym step return in the middle of an agent's pass.
 */
class DeferredDecisionTest {
  /** Defers every question once, then answers it with the wrapped policy when asked again. */
  static final class DeferOnce extends ForwardingPolicy {
    long deferred;
    // Questions deferred and not yet answered, by (kind, cpu, task): several agents can be
    // suspended at one pause, and all of them ask again when the simulation resumes.
    private final Set<String> waiting = new HashSet<>();

    DeferOnce(Policy inner) {
      super(inner);
    }

    @Override
    public int decide(DecisionRequest r) {
      boolean deferrable = r.kind() != DecisionRequest.Kind.INSERT || model() == Model.PER_CPU;
      String key = r.kind() + "/" + r.cpu() + "/" + (r.task() == null ? 0 : r.task().gtid());
      if (deferrable && waiting.add(key)) {
        deferred++;
        return DEFER;
      }
      waiting.remove(key);
      return inner.decide(r);
    }
  }

  @ParameterizedTest(name = "{0} on {1}, overheads {2}")
  @CsvSource({
    "fifo, rocksdb-shinjuku, paper",
    "fifo, rocksdb-shinjuku, none",
    "shinjuku, rocksdb-shinjuku, paper",
    "srpt, rocksdb-shinjuku, none",
    "cfs, batch-mix, paper",
    "random, mmc, none"
  })
  void deferredRunEqualsImmediateRun(String policy, String workload, String overheads) {
    SimConfig cfg = SimConfig.of(4, 21, Overheads.parse(overheads), 5000).withInvariants(true);
    SimResult direct =
        new Machine(
                cfg, Workloads.load(workload, Map.of(), 4), Policies.create(policy, Map.of(), 3))
            .run();

    DeferOnce d = new DeferOnce(Policies.policy(policy, Map.of(), 3));
    PolicyGuard guard = new PolicyGuard(d, 1_000_000);
    AgentHost agents =
        d.model() == Policy.Model.PER_CPU ? new PerCpuAgents(guard) : new CentralizedAgents(guard);
    Machine m = new Machine(cfg, Workloads.load(workload, Map.of(), 4), agents);
    long pauses = 0;
    while (m.runUntilPause()) {
      assertTrue(m.suspendedAgents() >= 1);
      pauses++;
    }
    SimResult later = m.result();
    assertTrue(pauses > 1000, "paused " + pauses + " times");
    assertTrue(d.deferred >= pauses, "every pause has a deferred decision");
    assertEquals(0, guard.fallbackTotal());
    assertEquals(direct.metrics().completed(), later.metrics().completed());
    assertEquals(
        direct.metrics().responseSumNs(),
        later.metrics().responseSumNs(),
        "total response time, exactly");
    assertEquals(direct.metrics().txnOutcomes(), later.metrics().txnOutcomes());
    assertEquals(direct.endNs(), later.endNs());
    assertEquals(direct.traceSha256(), later.traceSha256(), "same trace");
  }
}
