package dev.ghostgym.actors.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Fifo;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A policy that throws, answers out of range, or is slower than the decision deadline gets the
 * per-CPU FIFO answer, and each case is counted; the run then equals a plain FIFO run.
 */
class PolicyGuardTest {
  /** A centralized FIFO that misbehaves in one way. */
  private record Faulty(String mode, long cost) implements Policy {
    @Override
    public String name() {
      return "faulty-" + mode;
    }

    @Override
    public Model model() {
      return Model.CENTRALIZED;
    }

    @Override
    public long decisionCostNs() {
      return cost;
    }

    @Override
    public int decide(DecisionRequest r) {
      if (mode.equals("throw")) throw new IllegalStateException("policy bug");
      if (mode.equals("invalid")) return -5;
      return new Fifo(Model.CENTRALIZED).decide(r);
    }
  }

  private static SimResult run(Policy p, long deadline) {
    PolicyGuard g = new PolicyGuard(p, deadline);
    SimResult r =
        new Machine(
                SimConfig.of(2, 4, Overheads.NONE, 4000).withInvariants(true),
                Workloads.load("rocksdb-shinjuku", Map.of(), 2),
                new CentralizedAgents(g))
            .run();
    lastGuard = g;
    return r;
  }

  private static PolicyGuard lastGuard;

  @Test
  void exceptionsInvalidAnswersAndTimeoutsFallBackToFifoAndAreCounted() {
    String fifo = run(new Fifo(Policy.Model.CENTRALIZED), 1_000_000).traceSha256();
    assertEquals(0, lastGuard.fallbackTotal());

    assertEquals(
        fifo,
        run(new Faulty("throw", 0), 1_000_000).traceSha256(),
        "a throwing policy runs as FIFO");
    long thrown = lastGuard.fallbacks().get("exception");
    assertTrue(thrown > 1000, "exceptions counted: " + thrown);
    assertEquals(thrown, lastGuard.fallbackTotal());
    assertEquals("policy bug", lastGuard.lastError().getMessage());

    assertEquals(
        fifo,
        run(new Faulty("invalid", 0), 1_000_000).traceSha256(),
        "invalid answers run as FIFO");
    assertEquals(
        thrown,
        lastGuard.fallbacks().get("invalid"),
        "one invalid answer per decision, as many as exceptions");

    SimResult slow = run(new Faulty("ok", 5_000), 2_000);
    // Its 2 us of charged decision time changes the schedule, so count against its own run.
    long timeouts = lastGuard.fallbacks().get("timeout");
    assertTrue(timeouts > 1000, "timeouts counted: " + timeouts);
    assertEquals(
        Map.of("timeout", timeouts),
        lastGuard.fallbacks(),
        "every decision timed out, nothing else");
    assertTrue(slow.agentShare() > 0, "the deadline's worth of agent time is charged");
  }

  @Test
  void validityOfAnswersIsCheckedPerKind() {
    Map<String, String> none = Map.of();
    assertThrows(IllegalArgumentException.class, () -> Policies.create("nope", none, 1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Policies.create("fifo", Map.of("slice", "1ms"), 1));
    assertTrue(
        e.getMessage().contains("policy.slice") && e.getMessage().contains("policy.deadline"),
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new PolicyGuard(new Fifo(Policy.Model.PER_CPU), 0));
  }

  @Test
  void hotSwapKeepsTheModel() {
    PolicyGuard g = new PolicyGuard(new Fifo(Policy.Model.CENTRALIZED), 1000);
    g.swap(Policies.policy("shinjuku", Map.of(), 1));
    assertEquals("shinjuku", g.policy().name());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> g.swap(new Fifo(Policy.Model.PER_CPU)));
    assertTrue(e.getMessage().contains("CENTRALIZED"), e.getMessage());
  }
}
