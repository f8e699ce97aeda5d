package dev.ghostgym.actors.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskPreempt;
import dev.ghostgym.abi.TaskWakeup;
import dev.ghostgym.abi.TaskYield;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Fifo;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TaskView;
import dev.ghostgym.config.Arrival;
import dev.ghostgym.config.Dists;
import dev.ghostgym.config.Program;
import dev.ghostgym.config.Source;
import dev.ghostgym.config.Step;
import dev.ghostgym.config.TaskTemplate;
import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hints reach agents only through the PrioTable (ghost-userspace shared/prio_table.h, read as the
 * Shinjuku agent reads it, once per pass): kernel messages carry agent_data 0, an agent sees a hint
 * once the application has written it, and without a table every hint is 0.
 */
class PrioTableHintsTest {
  /** A centralized FIFO that records the hint of every task it is asked about, with the time. */
  private static final class Recorder implements Policy {
    final List<long[]> seen = new ArrayList<>(); // {gtid, hint, now}
    private final Fifo fifo = new Fifo(Model.CENTRALIZED);

    @Override
    public String name() {
      return "recorder";
    }

    @Override
    public Model model() {
      return Model.CENTRALIZED;
    }

    @Override
    public int decide(DecisionRequest r) {
      if (r.task() != null) seen.add(new long[] {r.task().gtid(), r.task().hint(), r.nowNs()});
      for (TaskView t : r.runQueue()) seen.add(new long[] {t.gtid(), t.hint(), r.nowNs()});
      return fifo.decide(r);
    }
  }

  private static Machine machine(Workload w, int cpus, long tasks, Recorder rec) {
    SimConfig cfg = SimConfig.of(cpus, 5, Overheads.PAPER, tasks).withInvariants(true);
    return new Machine(cfg, w, new CentralizedAgents(new PolicyGuard(rec, 1_000_000_000L)));
  }

  // rocksdb-hinted: GETs hint 1, range queries hint 2. Every task the policy sees carries the
  // hint its source declares, read from the table; the kernel's messages all say agent_data 0.
  @Test
  void agentsReadHintsFromThePrioTableAndMessagesCarryZero() {
    Recorder rec = new Recorder();
    Machine m = machine(Workloads.load("rocksdb-hinted", Map.of(), 2), 2, 2000, rec);
    Map<Long, Integer> declared = new HashMap<>();
    m.taskLog(r -> declared.put(r.gtid(), r.hint()));
    List<Long> nonZero = new ArrayList<>();
    m.deliveredTap(
        msg -> {
          long data =
              msg.payload() instanceof TaskNew p
                  ? p.agentData()
                  : msg.payload() instanceof TaskWakeup p
                      ? p.agentData()
                      : msg.payload() instanceof TaskPreempt p
                          ? p.agentData()
                          : msg.payload() instanceof TaskYield p ? p.agentData() : 0;
          if (data != 0) nonZero.add(data);
        });
    m.run();
    assertTrue(nonZero.isEmpty(), "agent_data is always 0");
    assertTrue(rec.seen.size() > 1000);
    // Before its first consistent copy (the creator's write may still hold the seqcount when the
    // agent handles TASK_NEW) a task reads 0; once its class is seen it never reverts.
    int ones = 0;
    Map<Long, Boolean> known = new HashMap<>();
    for (long[] s : rec.seen) {
      Integer want = declared.get(s[0]);
      if (want == null) continue; // still running at the end
      if (s[1] == 0) {
        assertTrue(!known.getOrDefault(s[0], false), "task " + s[0] + " lost its hint at " + s[2]);
        continue;
      }
      assertEquals((long) want, s[1], "task " + s[0] + " at " + s[2]);
      known.put(s[0], true);
      if (s[1] == 1) ones++;
    }
    assertTrue(ones > 0 && ones < rec.seen.size(), "both classes seen");
    assertTrue(known.size() > 1000, "hints seen for most tasks: " + known.size());
  }

  // Tasks that rewrite their work class half-way ({hint: 7} after 1 ms of work, then yield), six
  // of them on two CPUs: the agent sees each task's first class (3) until that task wrote 7, never
  // 7
  // before it could have been written (1 ms of its work), and 7 on the passes after the write.
  @Test
  void aHintIsSeenOnlyAfterTheApplicationWroteIt() {
    Step run = new Step.Run(new Dists.Const(1_000_000));
    TaskTemplate t =
        new TaskTemplate(
            "t",
            true,
            0,
            3,
            null,
            new Program(List.of(run, new Step.Hint(7), Step.Yield.INSTANCE, run)));
    Workload w =
        new Workload(
            "w",
            "hint step",
            List.of(new Source("t", new Arrival.Fixed(List.of(0L, 0L, 0L, 0L, 0L, 0L)), t)),
            Map.of());
    Recorder rec = new Recorder();
    machine(w, 2, 6, rec).run();
    Map<Long, Long> lastHint = new HashMap<>();
    for (long[] s : rec.seen) {
      long before = lastHint.getOrDefault(s[0], 0L);
      // 0 until the creator's write is copied (it may be under way at TASK_NEW), then 3, then 7
      assertTrue(s[1] == 0 || s[1] == 3 || s[1] == 7, "hint " + s[1]);
      assertTrue(s[1] >= before, "task " + s[0] + ": hints never go back");
      if (s[1] == 7)
        assertTrue(s[2] >= 1_000_000, "7 seen at " + s[2] + " ns, before it was written");
      lastHint.put(s[0], s[1]);
    }
    assertTrue(rec.seen.stream().anyMatch(s -> s[1] == 3), "the first class was seen");
    assertEquals(
        6,
        lastHint.values().stream().filter(h -> h == 7).count(),
        "every task was seen with 7 after its write");
  }

  // rocksdb-shinjuku declares no hints: the application has no PrioTable and agents see 0.
  @Test
  void withoutAPrioTableEveryHintIsZero() {
    Recorder rec = new Recorder();
    machine(Workloads.load("rocksdb-shinjuku", Map.of(), 2), 2, 1000, rec).run();
    assertTrue(rec.seen.size() > 100);
    for (long[] s : rec.seen) assertEquals(0, s[1]);
  }

  // Worker pools: the dispatcher writes the worker's class when it hands over a request, so the
  // agent knows a woken worker's class at the wakeup (hints 1 and 2 in rocksdb-hinted-pool).
  @Test
  void poolWorkersCarryTheirPoolsClassWhenWoken() {
    Recorder rec = new Recorder();
    machine(Workloads.load("rocksdb-hinted-pool", Map.of("workers", "4"), 2), 2, 1000, rec).run();
    assertTrue(rec.seen.size() > 100);
    // (At time 0 the workers are being created and the creator's writes still hold their
    // seqcounts: the agent runs them with no hint until they block for the first time.)
    long woken = 0;
    for (long[] s : rec.seen) {
      if (s[2] == 0) continue;
      woken++;
      assertTrue(s[1] == 1 || s[1] == 2, "hint " + s[1] + " of worker " + s[0] + " at " + s[2]);
    }
    assertTrue(woken > 100);
  }
}
