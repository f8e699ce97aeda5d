package dev.ghostgym.actors.agent;

import static dev.ghostgym.sim.SimAssertions.assertEveryTaskAccountedFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.ghostgym.sim.SimResult;
import dev.ghostgym.sim.metrics.TaskRecord;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The centralized agents committing each pass as one sync group ({@code policy.sync_group=true}):
 * under CFS antagonists some txns fail (CPU_UNAVAIL), and then the rest of their group is POISONED
 * and the whole group is queued again; every task still completes, none is lost.
 */
class SyncGroupAgentsTest {
  private static final long TASKS = 3_000;

  private static SimResult run(String policy, String sync) {
    SimConfig cfg = SimConfig.of(8, 3, Overheads.PAPER, TASKS).withInvariants(true);
    return new Machine(
            cfg,
            Workloads.load("antagonist", Map.of(), 8),
            Policies.create(policy, Map.of("sync_group", sync), 3))
        .run();
  }

  @ParameterizedTest
  @ValueSource(strings = {"centralized-fifo", "shinjuku"})
  void underAntagonistsEveryTaskCompletesWithSyncGroups(String policy) {
    SimResult sync = run(policy, "true");
    assertEquals(TASKS, sync.metrics().completed());
    assertEveryTaskAccountedFor(sync);
  }

  private static final long MS = 1_000_000;
  private static final long T = 100_000;

  private static TaskTemplate task(String name, boolean ghost, long runNs) {
    Step run = new Step.Run(new Dists.Const(runNs));
    return new TaskTemplate(name, ghost, 0, 0, null, new Program(List.of(run)));
  }

  private static Source at(TaskTemplate t, long ns) {
    return new Source(t.className(), new Arrival.Fixed(List.of(ns)), t);
  }

  /**
   * 4 CPUs, the global agent on CPU 0 (paper overheads: its pass costs a few us). Three ghOSt tasks
   * (1 ms) arrive at T and are committed to CPUs 1, 2 and 3 in one pass; 500 ns later, before that
   * commit lands, two CFS tasks arrive: CFS places the first on CPU 0 and the second on CPU 1,
   * where it runs at once, so the txn for CPU 1 fails with CPU_UNAVAIL.
   */
  private static Map<String, TaskRecord> race(String sync, Map<String, Long> outcomes) {
    Workload w =
        new Workload(
            "race",
            "hand-built",
            List.of(
                at(task("g1", true, MS), T),
                at(task("g2", true, MS), T),
                at(task("g3", true, MS), T),
                at(task("c1", false, 100_000), T + 500),
                at(task("c2", false, 100_000), T + 500)),
            Map.of());
    Map<String, TaskRecord> out = new TreeMap<>();
    Machine m =
        new Machine(
            SimConfig.of(4, 1, Overheads.PAPER, 100).withInvariants(true),
            w,
            Policies.create("centralized-fifo", Map.of("sync_group", sync), 1));
    m.taskLog(r -> out.put(r.className(), r));
    SimResult r = m.run();
    outcomes.putAll(r.metrics().txnOutcomes());
    assertEquals(5, r.metrics().completed());
    return out;
  }

  @Test
  void oneFailedTxnFailsItsWholeGroupWhoseTasksAreCommittedAgain() {
    Map<String, Long> sync = new TreeMap<>();
    Map<String, TaskRecord> s = race("true", sync);
    Map<String, Long> plain = new TreeMap<>();
    Map<String, TaskRecord> p = race("false", plain);
    // Group order after CPU 0: CPU 1 fails, CPUs 2 and 3 are poisoned (ghost_sync_group).
    assertEquals(1L, sync.get("CPU_UNAVAIL"), sync.toString());
    assertEquals(2L, sync.get("POISONED"), sync.toString());
    // One COMMIT_TXN: the other two commit.
    assertEquals(1L, plain.get("CPU_UNAVAIL"), plain.toString());
    assertEquals(null, plain.get("POISONED"), plain.toString());
    // g3 (CPU 3): alone its commit stood; in the group it was undone at the poisoned rendezvous
    // and g3 started only when the next pass committed it again. (g2's CPU 2 is where the global
    // role moves when c1 takes CPU 0, so g2 is displaced either way.)
    long plainStart = p.get("g3").firstRun();
    long syncStart = s.get("g3").firstRun();
    assertTrue(syncStart > plainStart, "g3 sync " + syncStart + " vs plain " + plainStart);
    assertEquals(p.get("g1").firstRun(), s.get("g1").firstRun(), "g1 failed either way");
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "1"})
  void syncGroupTakesTrueOrFalse(String bad) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Policies.create("centralized-fifo", Map.of("sync_group", bad), 1));
    assertTrue(e.getMessage().contains("policy.sync_group"), e.getMessage());
  }
}
