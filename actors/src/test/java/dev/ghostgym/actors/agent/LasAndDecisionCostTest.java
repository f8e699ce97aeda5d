package dev.ghostgym.actors.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.policy.CpuView;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.DecisionRequest.Kind;
import dev.ghostgym.actors.policy.DecisionRequest.Trigger;
import dev.ghostgym.actors.policy.Las;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.TaskView;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Least attained service on hand-made queues, and decision costs charged in simulated time. */
class LasAndDecisionCostTest {
  private record T(long gtid, long attainedNs) implements TaskView {
    @Override
    public int hint() {
      return 0;
    }

    @Override
    public int nice() {
      return 0;
    }

    @Override
    public long runnableSinceNs() {
      return 0;
    }

    @Override
    public int preemptions() {
      return 0;
    }

    @Override
    public boolean boosted() {
      return false;
    }

    @Override
    public long remainingNs() {
      return -1;
    }

    @Override
    public long burstNs() {
      return -1;
    }

    @Override
    public long deadlineNs() {
      return Long.MAX_VALUE;
    }
  }

  private static DecisionRequest ask(Kind kind, TaskView running, long... attained) {
    List<T> rq = new ArrayList<>();
    for (int i = 0; i < attained.length; i++) rq.add(new T(i + 1, attained[i]));
    List<CpuView> cpus =
        List.of(new CpuView(0, running, 0, 0, true), new CpuView(1, null, 0, 0, true));
    Trigger trigger =
        switch (kind) {
          case PICK -> Trigger.CPU_IDLE;
          case SLICE -> Trigger.SLICE;
          case PREEMPT -> Trigger.ARRIVAL;
          case PLACE, INSERT -> Trigger.TASK_NEW;
        };
    return new DecisionRequest(1, kind, trigger, 0, running, rq, cpus, 1_000_000);
  }

  @Test
  void lasRunsTheLeastServedTaskAndPreemptsOnlyForLess() {
    Policy las = Policies.policy("las", Map.of("quantum", "20us"), 1);
    assertEquals(20_000, las.sliceNs());
    assertEquals(
        1,
        las.decide(ask(Kind.PICK, null, 50_000, 3_000, 9_000, 3_000)),
        "least attained, first on ties");
    assertEquals(0, las.decide(ask(Kind.PICK, null, 0)));
    T running = new T(9, 40_000);
    assertEquals(
        1,
        las.decide(ask(Kind.SLICE, running, 60_000, 10_000)),
        "a task with less service waits: preempt");
    assertEquals(
        0, las.decide(ask(Kind.SLICE, running, 60_000, 40_000)), "equal service: keep running");
    assertEquals(
        2, las.decide(ask(Kind.INSERT, null, 1, 2)), "new and preempted tasks to the back");
    assertThrows(IllegalArgumentException.class, () -> new Las(0));
  }

  private static SimResult run(String policy, Map<String, String> params, long tasks) {
    Map<String, String> set =
        Map.of("load", "0.7", "service", "mix(0.99:const(20us),0.01:const(2ms))");
    SimConfig cfg = SimConfig.of(2, 3, Overheads.PAPER, tasks);
    return new Machine(cfg, Workloads.load("mmc", set, 2), Policies.create(policy, params, 3))
        .run();
  }

  @Test
  void lasKeepsShortRequestsAheadOfLongOnesOnTheSimulator() {
    double las = run("las", Map.of(), 20_000).metrics().response().p99();
    double fifo = run("centralized-fifo", Map.of(), 20_000).metrics().response().p99();
    assertTrue(las * 3 < fifo, "las p99 " + las + " us vs centralized fifo " + fifo + " us");
  }

  @Test
  void theDecisionCostIsChargedDeterministically() {
    SimResult a = run("las", Map.of("decision_cost", "200ns"), 3_000);
    SimResult b = run("las", Map.of("decision_cost", "200ns"), 3_000);
    SimResult free = run("las", Map.of("decision_cost", "none"), 3_000);
    SimResult dear = run("las", Map.of("decision_cost", "5us"), 3_000);
    assertEquals(a.traceSha256(), b.traceSha256(), "same seed and cost, same trace");
    assertNotEquals(a.traceSha256(), free.traceSha256());
    assertEquals(free.traceSha256(), run("las", Map.of(), 3_000).traceSha256(), "none is no cost");
    // The global agent spins on CPU 0 of 2 whatever its decisions cost, and a spinning agent's CPU
    // is agent time throughout (KERNEL-MODEL.md 3.1), so the share stays 1/2: the cost shows in
    // the responses instead.
    assertEquals(0.5, free.agentShare(), 0.001);
    assertEquals(0.5, dear.agentShare(), 0.001);
    assertTrue(dear.metrics().meanResponseNs() > a.metrics().meanResponseNs());
    assertTrue(a.metrics().meanResponseNs() > free.metrics().meanResponseNs());
  }

  @Test
  void theCommandsDefaultCostDependsOnTheOverheadModel() {
    assertEquals("50ns", Policies.withDefaultCost(Map.of(), true).get("decision_cost"));
    assertEquals("0ns", Policies.withDefaultCost(Map.of(), false).get("decision_cost"));
    assertEquals(
        "none",
        Policies.withDefaultCost(Map.of("decision_cost", "none"), true).get("decision_cost"));
    assertEquals(7_000, Policies.decisionCostNs(Map.of("cost", "7us")), "the older name");
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> Policies.policy("las", Map.of("decision_cost", "fast"), 1));
    assertTrue(e.getMessage().startsWith("policy.decision_cost"), e.getMessage());
  }
}
