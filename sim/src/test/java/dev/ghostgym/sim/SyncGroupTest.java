package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.config;
import static dev.ghostgym.sim.Kit.ghost;
import static dev.ghostgym.sim.Kit.gtid;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TxnState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * GHOST_IOC_SYNC_GROUP_TXN, outcome per failing condition as ghost.c's ghost_sync_group gives it:
 * all txns claimed first (one not READY fails the group untouched), committed from the CPU after
 * the caller's and wrapping, the caller's own last; after a failure the rest are POISONED, and
 * those already committed read COMPLETE but their tasks are forced off at the poisoned rendezvous,
 * with no message, and can be committed again under the same barrier.
 *
 * <p>Three tasks (1 ms each) arrive at T1; the spinning agent of {@code agentCpu} owns the default
 * queue and, once it has seen all three, commits task k to {@code cpus[k]} as one sync group. On
 * its next pass it reads the txn states, then commits again, one by one, every task not on a CPU.
 */
class SyncGroupTest {
  private static final long T1 = 100_000;
  private static final int AT_COMMIT = CommitFlags.COMMIT_AT_TXN_COMMIT;
  private static final int SPARE = 4; // in no group: where a task of the agent's own CPU goes

  record Outcome(
      Map<Integer, String> states,
      List<Integer> aseqBefore,
      List<Integer> aseqAfter,
      ScriptAgents agents,
      SimResult result,
      List<Long> groupPassAt) {}

  private static Outcome group(
      int agentCpu, int[] cpus, Set<Integer> stale, Set<Integer> notOpened, int commitFlags) {
    ScriptAgents a = new ScriptAgents(agentCpu);
    Map<Integer, String> states = new LinkedHashMap<>();
    List<Integer> before = new ArrayList<>();
    List<Integer> after = new ArrayList<>();
    List<Long> passes = new ArrayList<>();
    int[] phase = {0};
    a.with(
        ctx -> {
          if (ctx.cpu != agentCpu) {
            ctx.yieldCpu(0);
            return;
          }
          if (phase[0] == 0 && ctx.seq(gtid(3)) > 0) {
            phase[0] = 1;
            passes.add(ctx.now());
            for (int c : cpus) before.add(ctx.port.agentBarrier(c));
            for (int k = 0; k < cpus.length; k++) {
              if (notOpened.contains(cpus[k])) continue;
              long g = gtid(k + 1);
              int barrier = ctx.seq(g) + (stale.contains(cpus[k]) ? 1 : 0);
              ctx.port.openTxn(cpus[k], g, ctx.aseq, barrier, 0, commitFlags);
            }
            ctx.port.syncCommit(cpus);
          } else if (phase[0] == 1) {
            phase[0] = 2;
            passes.add(ctx.now());
            for (int c : cpus) {
              states.put(c, TxnState.of(ctx.port.txnState(c)).name());
              after.add(ctx.port.agentBarrier(c));
            }
            for (int k = 0; k < cpus.length; k++) {
              long g = gtid(k + 1);
              int target = cpus[k] == agentCpu ? SPARE : cpus[k];
              if ((ctx.port.taskFlags(g) & StatusFlags.TASK_ONCPU) != 0) continue;
              ctx.port.openTxn(target, g, 0, ctx.seq(g), 0, AT_COMMIT);
              ctx.port.commit(target);
            }
          }
          // The agent spins on its CPU (no yield): it looks again after each commit.
        });
    Machine m = new Machine(config(5), workload(at(ghost(run(MS)), T1, T1, T1)), a);
    SimResult r = m.run();
    return new Outcome(states, before, after, a, r, passes);
  }

  @Test
  void aGroupWhoseTxnsAllValidateCommitsEveryOne() {
    Outcome o = group(0, new int[] {1, 2, 3}, Set.of(), Set.of(), AT_COMMIT);
    assertEquals(Map.of(1, "COMPLETE", 2, "COMPLETE", 3, "COMPLETE"), o.states());
    for (int k = 1; k <= 3; k++) {
      assertEquals(
          List.of(
              "TASK_NEW@" + T1 + "#1",
              "TASK_BLOCKED@" + (T1 + MS) + "#2",
              "TASK_DEAD@" + (T1 + MS) + "#3"),
          o.agents().story(gtid(k)),
          "task " + k + " ran from the commit");
    }
    // A successful commit moves each target's agent barrier (no ELIDE_AGENT_BARRIER_INC).
    for (int i = 0; i < 3; i++)
      assertEquals(o.aseqBefore().get(i) + 1, o.aseqAfter().get(i), "CPU " + (i + 1));
  }

  @Test
  void aTxnThatIsNotReadyFailsTheGroupBeforeAnyCommitAndIsLeftAsItIs() {
    Outcome o = group(0, new int[] {1, 2, 3}, Set.of(), Set.of(2), AT_COMMIT);
    // CPU 2's txn was never opened: its old state (COMPLETE from the enclave's set-up) stays.
    assertEquals(Map.of(1, "POISONED", 2, "COMPLETE", 3, "POISONED"), o.states());
    // Nothing ran: the tasks were committed again one by one, all at the second pass.
    long again = o.groupPassAt().get(1);
    for (int k = 1; k <= 3; k++)
      assertEquals(
          "TASK_BLOCKED@" + (again + MS) + "#2",
          o.agents().story(gtid(k)).get(1),
          "task " + k + " started only when committed again");
  }

  @Test
  void aFailureMidGroupPoisonsTheRestAndUndoesTheCommittedOnesWithoutAMessage() {
    Outcome o =
        group(
            0,
            new int[] {1, 2, 3},
            Set.of(2),
            Set.of(),
            AT_COMMIT | CommitFlags.INC_AGENT_BARRIER_ON_FAILURE);
    // Order 1, 2, 3 (after CPU 0): CPU 1 commits, CPU 2 is stale, CPU 3 is poisoned.
    assertEquals(Map.of(1, "COMPLETE", 2, "TARGET_STALE", 3, "POISONED"), o.states());
    assertEquals(o.aseqBefore().get(0) + 1, o.aseqAfter().get(0), "CPU 1 committed");
    assertEquals(o.aseqBefore().get(1) + 1, o.aseqAfter().get(1), "CPU 2 failed, INC_ON_FAILURE");
    assertEquals(o.aseqBefore().get(2) + 1, o.aseqAfter().get(2), "CPU 3 poisoned, INC_ON_FAILURE");
    // Task 1 was committed on CPU 1, but its rendezvous was poisoned: it never ran, no message
    // was produced for it, and the same barrier (1) committed it again.
    long again = o.groupPassAt().get(1);
    assertEquals(
        List.of(
            "TASK_NEW@" + T1 + "#1",
            "TASK_BLOCKED@" + (again + MS) + "#2",
            "TASK_DEAD@" + (again + MS) + "#3"),
        o.agents().story(gtid(1)));
    assertTrue(o.agents().ofType(MessageType.TASK_PREEMPT).isEmpty(), "no TASK_PREEMPT at all");
  }

  @Test
  void withoutIncOnFailureAPoisonedTxnLeavesTheBarrier() {
    Outcome o = group(0, new int[] {1, 2, 3}, Set.of(2), Set.of(), AT_COMMIT);
    assertEquals(Map.of(1, "COMPLETE", 2, "TARGET_STALE", 3, "POISONED"), o.states());
    assertEquals(o.aseqBefore().get(1), o.aseqAfter().get(1), "CPU 2 failed");
    assertEquals(o.aseqBefore().get(2), o.aseqAfter().get(2), "CPU 3 poisoned");
  }

  @Test
  void theOrderStartsAfterTheCallersCpuAndWraps() {
    // The agent is on CPU 2; the group {0, 1, 3} is committed 3, 0, 1. CPU 3's txn is stale, so
    // CPUs 0 and 1 are poisoned (in ascending order they would have committed first).
    Outcome o = group(2, new int[] {0, 1, 3}, Set.of(3), Set.of(), AT_COMMIT);
    assertEquals(Map.of(0, "POISONED", 1, "POISONED", 3, "TARGET_STALE"), o.states());
  }

  @Test
  void theCallersOwnTxnComesLastAndIsPoisonedAfterAFailureSoTheAgentLoops() {
    // Agent on CPU 0, group {0, 1, 2}: committed 1, 2, 0. CPU 1 is stale: CPU 2 and the agent's
    // own txn are poisoned, so the agent does not switch to task 1 and runs again at once.
    Outcome o = group(0, new int[] {0, 1, 2}, Set.of(1), Set.of(), AT_COMMIT);
    assertEquals(Map.of(0, "POISONED", 1, "TARGET_STALE", 2, "POISONED"), o.states());
    assertEquals(o.groupPassAt().get(0), o.groupPassAt().get(1), "the agent looped at once");
  }

  @Test
  void oneSyncGroupPerPassAndNoCpuInBothKinds() {
    ScriptAgents a = new ScriptAgents(0);
    List<Class<?>> errors = new ArrayList<>();
    a.with(
        ctx -> {
          if (ctx.cpu == 0 && ctx.index == 0) {
            ctx.port.commit(1);
            try {
              ctx.port.syncCommit(1, 2);
            } catch (IllegalArgumentException e) {
              errors.add(e.getClass());
            }
            ctx.port.syncCommit(2);
            try {
              ctx.port.syncCommit(3);
            } catch (IllegalStateException e) {
              errors.add(e.getClass());
            }
          }
          ctx.yieldCpu(0);
        });
    new Machine(config(4), workload(at(ghost(run(MS)), T1)), a).run();
    assertEquals(List.of(IllegalArgumentException.class, IllegalStateException.class), errors);
  }
}
