package dev.ghostgym.actors.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TimeSlice;
import dev.ghostgym.config.Arrival;
import dev.ghostgym.config.Dists;
import dev.ghostgym.config.Program;
import dev.ghostgym.config.Source;
import dev.ghostgym.config.Step;
import dev.ghostgym.config.TaskTemplate;
import dev.ghostgym.config.Workload;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The PrioTable as ghost-userspace's Shinjuku agent uses it (schedulers/shinjuku: SeqCopyParams,
 * SchedParamsCallback, Enqueue into run_queue_[qos], GlobalSchedule's QoS preemption), and the
 * seqcount protocol of shared/prio_table.h: a copy made while the application writes is thrown away
 * and made again on a later pass, and every copy costs the agent.
 */
class PrioTableShinjukuTest {
  private static final long US = 1_000, MS = 1_000_000;

  private static TaskTemplate task(String cls, int hint, int qos, long runNs) {
    return new TaskTemplate(
        cls, true, 0, hint, qos, null, new Program(List.of(new Step.Run(new Dists.Const(runNs)))));
  }

  private static Machine machine(Workload w, int cpus, Overheads o, Policy p, long tasks) {
    SimConfig cfg = SimConfig.of(cpus, 5, o, tasks).withInvariants(true);
    return new Machine(cfg, w, new CentralizedAgents(new PolicyGuard(p, 1_000_000_000L)));
  }

  /** Completion time of every task, by gtid in creation order. */
  private static List<Long> finishes(Machine m) {
    List<Long> done = new ArrayList<>();
    Map<Long, Long> at = new HashMap<>();
    m.taskLog(r -> at.put(r.gtid(), r.end()));
    m.run();
    at.keySet().stream().sorted().forEach(g -> done.add(at.get(g)));
    return done;
  }

  // Two tasks of 1 ms on one task CPU (with no overheads the global agent has a CPU of its own). At
  // 5 us the application
  // clears B's RUNNABLE flag; at 3 ms it sets it again. Shinjuku takes B out of its queue (case c),
  // so A runs to completion though its 30 us slice expired long before, and B runs only after its
  // item says RUNNABLE again (case b). shinjuku-paper ignores the table and interleaves them.
  @Test
  void shinjukuHoldsATaskWhoseItemIsNotRunnableUntilItIsAgain() {
    Workload w =
        new Workload(
            "w",
            "gate",
            List.of(new Source("t", new Arrival.Fixed(List.of(0L, 0L)), task("t", 1, 0, MS))),
            Map.of());
    List<Long> gated = run(w, TimeSlice.shinjuku(30 * US));
    assertTrue(gated.get(0) < 1_100 * US, "A ran alone to completion: " + gated.get(0));
    assertTrue(gated.get(1) >= 4 * MS, "B ran only after 3 ms: " + gated.get(1));
    List<Long> paper = run(w, TimeSlice.shinjukuPaper(30 * US));
    assertTrue(paper.get(0) > 1_900 * US && paper.get(1) > 1_900 * US, "interleaved: " + paper);
    assertTrue(paper.get(1) < 2_200 * US, "B not held: " + paper);
  }

  private static List<Long> run(Workload w, Policy p) {
    Machine m = machine(w, 1, Overheads.NONE, p, 2);
    long b = dev.ghostgym.abi.Gtid.of(2, 0); // the second task created
    m.at(5 * US, () -> m.markRunnable(b, false));
    m.at(3 * MS, () -> m.markRunnable(b, true));
    return finishes(m);
  }
}
