package dev.ghostgym.actors.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Fifo;
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
import dev.ghostgym.sim.SimResult;
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

  // Shinjuku's run queues by QoS (FirstFilledRunqueue) and GlobalSchedule's preemption: on one task
  // CPU, a 1 ms task of QoS 1 runs from 0; a 50 us task arrives at 10 us. With QoS 2 it preempts at
  // once and keeps the CPU past its 30 us slice (the waiting task is of lower QoS): done at 60 us.
  // With the same QoS it waits for the slice (30 us) and shares by slices: done at 110 us.
  @Test
  void aHigherQosTaskPreemptsAtOnceAndKeepsItsCpu() {
    assertEquals(60 * US, qosRun(2).get(1));
    assertEquals(110 * US, qosRun(1).get(1));
  }

  private static List<Long> qosRun(int hiQos) {
    Workload w =
        new Workload(
            "w",
            "qos",
            List.of(
                new Source("lo", new Arrival.Fixed(List.of(0L)), task("lo", 1, 1, MS)),
                new Source(
                    "hi", new Arrival.Fixed(List.of(10 * US)), task("hi", 2, hiQos, 50 * US))),
            Map.of());
    return finishes(machine(w, 1, Overheads.NONE, TimeSlice.shinjuku(30 * US), 2));
  }

  /** Records the hint of each task at the first decision about it. */
  private static final class FirstHint implements Policy {
    final Map<Long, Integer> first = new HashMap<>();
    final Map<Long, Integer> last = new HashMap<>();
    private final Fifo fifo = new Fifo(Model.CENTRALIZED);

    @Override
    public String name() {
      return "first-hint";
    }

    @Override
    public Model model() {
      return Model.CENTRALIZED;
    }

    @Override
    public int decide(DecisionRequest r) {
      if (r.task() != null) first.putIfAbsent(r.task().gtid(), r.task().hint());
      for (var t : r.runQueue()) last.put(t.gtid(), t.hint());
      return fifo.decide(r);
    }
  }

  // Four tasks at time 0 on one task CPU: the three that queue are INSERTed at their TASK_NEW. The
  // creator writes a new thread's item right after TASK_NEW (ghost_orchestrator.cc), holding
  // its seqcount for the write. With no overheads the write takes no time and the agent's copy at
  // TASK_NEW holds the hint; with the paper's costs the write holds the seqcount for 100 ns, the
  // agent handling TASK_NEW at once finds it odd, keeps no hint (SeqCopyParams) and copies the item
  // again on its next pass.
  @Test
  void aCopyMadeWhileTheApplicationWritesIsThrownAwayAndMadeAgain() {
    Workload w =
        new Workload(
            "w",
            "torn",
            List.of(
                new Source(
                    "t", new Arrival.Fixed(List.of(0L, 0L, 0L, 0L)), task("t", 4, 0, 10 * US))),
            Map.of());
    FirstHint none = new FirstHint();
    machine(w, 1, Overheads.NONE, none, 4).run();
    assertEquals(Map.of(4, 3L), count(none.first), "no write window: hint at TASK_NEW");
    FirstHint paper = new FirstHint();
    machine(w, 2, Overheads.PAPER, paper, 4).run();
    assertEquals(Map.of(0, 3L), count(paper.first), "torn at TASK_NEW: no hint yet");
    for (long g : paper.first.keySet())
      assertEquals(4, paper.last.get(g), "task " + g + " copied again on a later pass");
  }

  private static Map<Integer, Long> count(Map<Long, Integer> first) {
    Map<Integer, Long> n = new HashMap<>();
    for (int h : first.values()) n.merge(h, 1L, Long::sum);
    return n;
  }

  // Every copy costs the agent 100 ns (an assumed cross-core cache-line transfer): per-CPU FIFO
  // agents (not spinning, so their busy time is their work) spend more with a table than without,
  // by a whole number of copies, at least one per task and at most four.
  @Test
  void everyCopyCostsTheAgent() {
    long with = agentNs(4), without = agentNs(0);
    long extra = with - without;
    assertEquals(0, extra % Overheads.ASSUMED_PRIO_TABLE_READ_NS, "whole copies: " + extra);
    long copies = extra / Overheads.ASSUMED_PRIO_TABLE_READ_NS;
    assertTrue(copies >= 20 && copies <= 80, "copies for 20 tasks: " + copies);
  }

  private static long agentNs(int hint) {
    List<Long> at = new ArrayList<>();
    for (int i = 0; i < 20; i++) at.add(i * MS);
    Workload w =
        new Workload(
            "w",
            "cost",
            List.of(new Source("t", new Arrival.Fixed(at), task("t", hint, 0, 100 * US))),
            Map.of());
    SimConfig cfg = SimConfig.of(1, 5, Overheads.PAPER, 20).withInvariants(true);
    PerCpuAgents a =
        new PerCpuAgents(new PolicyGuard(new Fifo(Policy.Model.PER_CPU), 1_000_000_000L));
    SimResult r = new Machine(cfg, w, a).run();
    return r.perCpu().stream().mapToLong(SimResult.CpuTime::agentNs).sum();
  }
}
