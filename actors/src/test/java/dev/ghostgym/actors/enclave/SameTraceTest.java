package dev.ghostgym.actors.enclave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.agent.PerCpuAgents;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A run through actors is the same run as through plain calls: same seed, same trace hash. */
class SameTraceTest {
  @ParameterizedTest(name = "{0}, overheads {1}")
  @CsvSource({"fifo, paper", "fifo, none", "centralized-fifo, paper", "centralized-fifo, none"})
  void actorsAndPlainCallsGiveTheSameTrace(String policy, String overheads) {
    Workload w = Workloads.load("rocksdb-shinjuku", Map.of(), 4);
    SimConfig cfg = SimConfig.of(4, 11, Overheads.parse(overheads), 5_000).withInvariants(true);
    SimResult plain = new Machine(cfg, w, Policies.create(policy, Map.of(), 11)).run();
    try (ActorAgents agents = ActorAgents.create(policy, Map.of(), 11)) {
      SimResult actors = agents.bind(new Machine(cfg, w, agents)).run();
      assertEquals(
          plain.traceSha256(),
          actors.traceSha256(),
          "trace of " + policy + " through actors vs plain calls");
      assertEquals(plain.metrics().messagesTotal(), actors.metrics().messagesTotal());
      assertEquals(5_000, actors.metrics().completed());
    }
  }

  @Test
  void simulationsOnSeveralThreadsAtOnceEachRunTheirOwnActors() throws Exception {
    Workload w = Workloads.load("rocksdb-shinjuku", Map.of(), 4);
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      List<Future<String[]>> runs = new ArrayList<>();
      for (int seed = 1; seed <= 6; seed++) {
        SimConfig cfg = SimConfig.of(4, seed, Overheads.PAPER, 3_000);
        long s = seed;
        runs.add(
            threads.submit(
                () -> {
                  String plain =
                      new Machine(cfg, w, Policies.create("fifo", Map.of(), s)).run().traceSha256();
                  try (ActorAgents agents = ActorAgents.create("fifo", Map.of(), s)) {
                    return new String[] {
                      plain, agents.bind(new Machine(cfg, w, agents)).run().traceSha256()
                    };
                  }
                }));
      }
      for (Future<String[]> f : runs) {
        String[] traces = f.get();
        assertEquals(traces[0], traces[1], "concurrent run through actors vs plain calls");
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** Defers every question once (a gym step answers it later), then answers as FIFO. */
  static final class DeferOnce implements Policy {
    private final Policy inner = Policies.policy("fifo", Map.of(), 1);
    private final Set<String> waiting = new HashSet<>();

    @Override
    public String name() {
      return "defer-once";
    }

    @Override
    public Model model() {
      return Model.PER_CPU;
    }

    @Override
    public int decide(DecisionRequest r) {
      String key = r.kind() + "/" + r.cpu() + "/" + (r.task() == null ? 0 : r.task().gtid());
      if (waiting.add(key)) return DEFER;
      waiting.remove(key);
      return inner.decide(r);
    }
  }

  @Test
  void aRunPausedForOutsideDecisionsIsTheSameRunThroughActors() {
    Workload w = Workloads.load("rocksdb-shinjuku", Map.of(), 4);
    SimConfig cfg = SimConfig.of(4, 21, Overheads.PAPER, 2_000).withInvariants(true);
    String direct = new Machine(cfg, w, Policies.create("fifo", Map.of(), 1)).run().traceSha256();
    PerCpuAgents engine = new PerCpuAgents(new PolicyGuard(new DeferOnce(), 1_000_000));
    try (ActorAgents agents = new ActorAgents(engine, 1, ActorAgents.sharedSystem())) {
      Machine m = agents.bind(new Machine(cfg, w, agents));
      long pauses = 0;
      while (m.runUntilPause()) pauses++;
      assertTrue(pauses > 100, "paused " + pauses + " times");
      assertEquals(direct, m.result().traceSha256(), "same trace as the run answered at once");
    }
  }
}
