package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.config;
import static dev.ghostgym.sim.Kit.ghost;
import static dev.ghostgym.sim.Kit.gtid;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.TaskPreempt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The target side of a remote commit (KERNEL-MODEL.md 3.1): _ghost_commit_txn latches the task and
 * sends a resched IPI; the target runs its pick when the IPI lands (pnt_prologue,
 * _pick_next_task_ghost) and produces the displaced task's TASK_PREEMPT and clears its on-CPU flag
 * in prepare_task_switch, then switches. Here the IPI takes 1 us and the switch 0.5 us.
 */
class RemoteCommitTargetTest {
  private static final long IPI = 1_000;
  private static final long SWITCH = 500;
  private static final long T1 = 100_000; // after the agents' start-up activations

  // CPU 0's agent owns the default queue and sends every new task to CPU 1 by a remote commit,
  // and a preempted one to CPU 2. Task 1 (2 ms, t=T1) starts on CPU 1 at T1 + IPI + switch. Task 2
  // (1 ms) is committed to CPU 1 at 1 ms: task 1 keeps running (and keeps TASK_ONCPU) until the
  // IPI lands at 1 ms + IPI, where its TASK_PREEMPT is produced; task 2 runs from 1 ms + IPI +
  // switch, and task 1's remainder on CPU 2 after another IPI and switch.
  @Test
  void theDisplacedTaskRunsUntilTheIpiLandsAndIsPreemptedAtThePick() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(
        ctx -> {
          if (ctx.cpu == 0) {
            for (var msg : ctx.drained) {
              if (msg.type() == MessageType.TASK_NEW) {
                ctx.port.openTxn(
                    1, msg.gtid(), 0, ctx.seq(msg.gtid()), 0, CommitFlags.COMMIT_AT_TXN_COMMIT);
                ctx.port.commit(1);
              }
              if (msg.type() == MessageType.TASK_PREEMPT) {
                ctx.port.openTxn(
                    2, msg.gtid(), 0, ctx.seq(msg.gtid()), 0, CommitFlags.COMMIT_AT_TXN_COMMIT);
                ctx.port.commit(2);
              }
            }
          }
          ctx.yieldCpu(0);
        });
    Machine m =
        new Machine(
            config(3, Kit.remoteTargetCost(IPI, SWITCH)),
            workload(at(ghost(run(2 * MS)), T1), at(ghost(run(MS)), MS)),
            a);
    List<TaskState> stateAfterCommit = new ArrayList<>();
    m.at(MS + IPI / 2, () -> stateAfterCommit.add(m.taskView(gtid(1)).state()));
    SimResult r = m.run();

    assertEquals(
        List.of(TaskState.ON_CPU),
        stateAfterCommit,
        "still on CPU 1 between the commit and the IPI");
    long preemptAt = MS + IPI;
    long ranOn1 = preemptAt - (T1 + IPI + SWITCH);
    long end1 = preemptAt + IPI + SWITCH + (2 * MS - ranOn1);
    assertEquals(
        List.of(
            "TASK_NEW@" + T1 + "#1",
            "TASK_PREEMPT@" + preemptAt + "#2",
            "TASK_BLOCKED@" + end1 + "#3",
            "TASK_DEAD@" + end1 + "#4"),
        a.story(gtid(1)));
    TaskPreempt p = a.of(gtid(1)).get(1).payload(TaskPreempt.class);
    assertEquals(ranOn1, p.runtime());
    assertEquals(1, p.cpu());
    long end2 = preemptAt + SWITCH + MS;
    assertEquals(
        List.of("TASK_NEW@" + MS + "#1", "TASK_BLOCKED@" + end2 + "#2", "TASK_DEAD@" + end2 + "#3"),
        a.story(gtid(2)));
    assertEquals(Math.max(end1, end2), r.endNs());
    assertEquals(ranOn1 + MS, m.cpuView(1).ghostBusyNs());
  }

  // No target cost: the target picks at the commit instant (the queueing-theory configuration).
  @Test
  void withoutTargetCostTheTargetSwitchesAtTheCommit() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(
        ctx -> {
          if (ctx.cpu == 0 && ctx.got(MessageType.TASK_NEW)) {
            ctx.port.openTxn(1, gtid(1), 0, ctx.seq(gtid(1)), 0, CommitFlags.COMMIT_AT_TXN_COMMIT);
            ctx.port.commit(1);
          }
          ctx.yieldCpu(0);
        });
    SimResult r = new Machine(config(2), workload(at(ghost(run(MS)), T1)), a).run();
    assertEquals(T1 + MS, r.endNs());
  }
}
