package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.US;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.config;
import static dev.ghostgym.sim.Kit.ghost;
import static dev.ghostgym.sim.Kit.gtid;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.sleep;
import static dev.ghostgym.sim.Kit.workload;
import static dev.ghostgym.sim.Kit.yieldCpu;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.config.Workloads;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The invariant checker (docs/KERNEL-MODEL.md section 2.14) catches violations and names the rule.
 */
class InvariantsTest {

  // docs/KERNEL-MODEL.md 2.14: a normal run with every invariant checked completes, and its
  // accounting
  // (arrived = completed + departed + still running) holds.
  @Test
  void normalRunWithInvariantsCompletes() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    var program = ghost(run(200 * US), sleep(100 * US), run(50 * US), yieldCpu(), run(20 * US));
    SimResult r =
        new Machine(
                SimConfig.of(3, 3, Overheads.PAPER, 500).withInvariants(true).withTicks(true),
                workload(
                    Kit.at(program, 0, 10 * US, 20 * US, 30 * US, 400 * US, 410 * US, 900 * US)),
                a)
            .run();
    assertEquals(7, r.metrics().completed());
    SimResult mmc =
        new Machine(
                SimConfig.of(2, 5, Overheads.PAPER, 2000).withInvariants(true),
                Workloads.load("mmc", Map.of(), 2),
                withFifo())
            .run();
    assertEquals(2000, mmc.metrics().completed());
    SimAssertions.assertEveryTaskAccountedFor(mmc);
  }

  // docs/KERNEL-MODEL.md 2.14 (1): a deliberately broken kernel state (task 1's barrier moved back
  // by the
  // test at 0.5 ms) makes its next message reuse seqnum 1; the checker stops the run at delivery.
  @Test
  void seqnumGoingBackwardsIsRule1() {
    ScriptAgents a = withFifo();
    Machine m = new Machine(config(1), workload(at(ghost(run(MS), sleep(MS), run(MS)), 0)), a);
    m.at(500 * US, () -> m.tasks.get(gtid(1)).barrier--);
    InvariantViolation v = assertThrows(InvariantViolation.class, m::run);
    assertEquals(1, v.rule());
    assertTrue(
        v.getMessage().startsWith("invariant 1 violated: task 1 got seqnum 1 after 1"),
        v.getMessage());
  }

  // docs/KERNEL-MODEL.md 2.14 (3), (4), (6), (7): the checker's hooks on hand-made states.
  @Test
  void checkerNamesTheRuleOfEachViolation() {
    Machine m = new Machine(config(2), workload(at(ghost(run(MS)), 0)), withFifo());
    Invariants inv = new Invariants(m);
    SimTask t =
        new SimTask(gtid(1), 0, ghost(run(MS)), 0, new SplittableRandom(1), 0, Long.MAX_VALUE);
    t.ghost = true;
    t.barrier = 3;
    t.state = TaskState.RUNNABLE; // as the machine leaves a task on arrival

    // (7) a ghOSt task starting on a CPU without an agent.
    SimCpu noAgent = m.cpus[0];
    assertEquals(AgentState.NO_AGENT, noAgent.agent);
    assertEquals(
        7, assertThrows(InvariantViolation.class, () -> inv.beforeStart(noAgent, t)).rule());

    // (6) a ghOSt task starting while a CFS task is runnable there.
    SimCpu busy = m.cpus[1];
    busy.agent = AgentState.BLOCKED;
    SimTask cfsTask =
        new SimTask(gtid(2), 0, Kit.cfs(run(MS)), 0, new SplittableRandom(2), 0, Long.MAX_VALUE);
    busy.cfsRq.add(cfsTask);
    assertEquals(6, assertThrows(InvariantViolation.class, () -> inv.beforeStart(busy, t)).rule());
    busy.cfsRq.remove(cfsTask);

    // (3) a commit that succeeded with a stale task barrier.
    busy.txnTaskBarrier = 2;
    busy.txnGtid = t.gtid;
    busy.txnCommitFlags = CommitFlags.COMMIT_AT_TXN_COMMIT;
    assertEquals(
        3,
        assertThrows(
                InvariantViolation.class,
                () -> inv.committed(busy, t, false, TxnState.COMPLETE.code()))
            .rule());

    // (4) a local commit that failed AGENT_STALE although the agent barrier had not moved.
    busy.txnTaskBarrier = 3;
    busy.txnAgentBarrier = busy.aseq;
    assertEquals(
        4,
        assertThrows(
                InvariantViolation.class,
                () -> inv.committed(busy, t, true, TxnState.AGENT_STALE.code()))
            .rule());
    // ... and one that succeeded although it had.
    busy.txnAgentBarrier = busy.aseq - 1;
    InvariantViolation v =
        assertThrows(
            InvariantViolation.class, () -> inv.committed(busy, t, true, TxnState.COMPLETE.code()));
    assertEquals(4, v.rule());
    assertTrue(v.getMessage().startsWith("invariant 4 violated: "), v.getMessage());
  }

  private static ScriptAgents withFifo() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    return a;
  }
}
