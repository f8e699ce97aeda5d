package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.US;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.config;
import static dev.ghostgym.sim.Kit.ghost;
import static dev.ghostgym.sim.Kit.gtid;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskPreempt;
import dev.ghostgym.abi.TxnState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A committed task that has not run yet (latched) and is committed again. The kernel's
 * ghost_move_task() guarantees the task is "not cached on any cpu" afterwards and unlatches it
 * without a TASK_PREEMPT (skip_latched_preemption), whether it moves to another CPU or is committed
 * to the same one again (docs/KERNEL-MODEL.md 2.2: TASK_PREEMPT{was_latched} only when the latched
 * task is displaced by another task, a higher class, the agent, or the agent's death).
 */
class LatchedTaskTest {
  private static final int AT_COMMIT = CommitFlags.COMMIT_AT_TXN_COMMIT;
  // Keeps the latched task latched while the target CPU's agent runs, so a stale latch would start.
  private static final int DEFER = RunFlags.DEFER_LATCHED_PREEMPTION_BY_AGENT;

  /**
   * The agent of CPU 0 commits task 1 to CPU {@code first}, then (on its next activation, same
   * instant) to CPU {@code second}. CPU 1's agent spins, so a task latched there stays latched; at
   * 500 us it is pinged and yields its CPU. Other agents yield.
   */
  private static List<Integer> scenario(
      int cpus, int first, int second, ScriptAgents a, Machine[] m, TaskView[] latchedOn1) {
    List<Integer> states = new ArrayList<>();
    int[] phase = {0};
    a.with(
        ctx -> {
          long g = gtid(1);
          if (ctx.cpu == 1) {
            if (ctx.now() > 0) ctx.yieldCpu(0);
            return; // at t=0: spin
          }
          if (ctx.cpu != 0) {
            ctx.yieldCpu(0);
            return;
          }
          if (ctx.got(MessageType.TASK_DEAD)) ctx.port.freeStatusWord(g);
          switch (phase[0]++) {
            case 0 -> {
              ctx.port.openTxn(first, g, 0, ctx.seq(g), DEFER, AT_COMMIT);
              ctx.port.commit(first);
            }
            case 1 -> {
              states.add(ctx.port.txnState(first));
              ctx.port.openTxn(second, g, 0, ctx.seq(g), DEFER, AT_COMMIT);
              ctx.port.commit(second);
            }
            case 2 -> {
              states.add(ctx.port.txnState(second));
              ctx.yieldCpu(0);
            }
            default -> ctx.yieldCpu(0);
          }
        });
    m[0] = new Machine(config(cpus), workload(at(ghost(run(MS)), 0)), a);
    m[0].at(100 * US, () -> latchedOn1[0] = m[0].cpuView(1).latched());
    m[0].at(500 * US, () -> a.setup.ping(1));
    m[0].run();
    return states;
  }

  // docs/KERNEL-MODEL.md 2.4 (step 5: "The task is then migrated to run_cpu if needed") and 2.14
  // (6):
  // task 1 latched on CPU 1 and then committed to CPU 2 leaves CPU 1 without a latched task and
  // runs once, on CPU 2, with no TASK_PREEMPT.
  @Test
  void latchedTaskCommittedToAnotherCpuIsUnlatchedFromTheFirst() {
    ScriptAgents a = new ScriptAgents(0);
    Machine[] m = new Machine[1];
    TaskView[] latchedOn1 = new TaskView[1];
    List<Integer> states = scenario(3, 1, 2, a, m, latchedOn1);
    assertEquals(
        List.of("COMPLETE", "COMPLETE"), states.stream().map(s -> TxnState.of(s).name()).toList());
    assertNull(latchedOn1[0], "CPU 1 still has task 1 latched after it moved to CPU 2");
    assertEquals(
        List.of("TASK_NEW@0#1", "TASK_BLOCKED@1000000#2", "TASK_DEAD@1000000#3"), a.story(gtid(1)));
    assertEquals(new TaskDead(gtid(1), 2), a.of(gtid(1)).get(2).payload(TaskDead.class));
    assertEquals(0, m[0].cpuView(1).ghostBusyNs());
    assertEquals(MS, m[0].cpuView(2).ghostBusyNs());
    assertNull(m[0].cpuView(1).current());
    assertNull(m[0].cpuView(2).current());
  }

  // docs/KERNEL-MODEL.md 2.2 (TASK_PREEMPT{was_latched} only when another task, a higher class, the
  // agent or its death displaces the latched task): committing the latched task again to the
  // same CPU keeps it latched, silently; it runs when the CPU's agent yields at 500 us.
  @Test
  void latchedTaskCommittedAgainToTheSameCpuStaysLatchedSilently() {
    ScriptAgents a = new ScriptAgents(0);
    Machine[] m = new Machine[1];
    TaskView[] latchedOn1 = new TaskView[1];
    List<Integer> states = scenario(2, 1, 1, a, m, latchedOn1);
    assertEquals(
        List.of("COMPLETE", "COMPLETE"), states.stream().map(s -> TxnState.of(s).name()).toList());
    assertNotNull(latchedOn1[0], "still latched on CPU 1");
    assertEquals(gtid(1), latchedOn1[0].gtid());
    assertEquals(
        List.of("TASK_NEW@0#1", "TASK_BLOCKED@1500000#2", "TASK_DEAD@1500000#3"), a.story(gtid(1)));
    assertEquals(new TaskDead(gtid(1), 1), a.of(gtid(1)).get(2).payload(TaskDead.class));
  }

  // docs/KERNEL-MODEL.md 2.1 (the agent is picked before any ghOSt task), 2.2
  // (TASK_PREEMPT{was_latched}
  // when the agent takes the CPU before the latched task ran) and 2.14 (6). Task 1 runs on CPU 1
  // and its queue wakes CPU 1's agent. At 2 ms the agent of CPU 0 commits task 2 to CPU 1: task 1's
  // TASK_PREEMPT wakes CPU 1's agent, which runs first, so task 2 never starts.
  @Test
  void displacingATaskWhosePreemptWakesTheLocalAgentRunsTheAgentFirst() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(
        ctx -> {
          if (ctx.cpu == 0) {
            for (Message msg : ctx.drained) {
              if (msg.type() != MessageType.TASK_NEW) continue;
              long g = msg.gtid();
              if (g == gtid(1)) ctx.port.assocQueue(g, ctx.queueOf(1), ctx.seq(g));
              ctx.port.openTxn(1, g, 0, ctx.seq(g), 0, AT_COMMIT);
              ctx.port.commit(1);
              return;
            }
          }
          ctx.yieldCpu(0);
        });
    Machine m =
        new Machine(config(2), workload(at(ghost(run(5 * MS)), MS), at(ghost(run(MS)), 2 * MS)), a);
    m.run();
    List<String> where = new ArrayList<>();
    for (ScriptAgents.Delivered d : a.delivered) {
      if (!d.type().isTaskMessage()) continue;
      boolean latched =
          d.type() == MessageType.TASK_PREEMPT && d.payload(TaskPreempt.class).wasLatched();
      where.add(
          d.at() / MS
              + "ms task "
              + d.gtid()
              + " "
              + d.type()
              + (latched ? "{was_latched}" : "")
              + " cpu"
              + d.cpu());
    }
    assertEquals(
        List.of(
            "1ms task 1 TASK_NEW cpu0",
            "2ms task 2 TASK_NEW cpu0",
            // (delivered in CPU order: CPU 0's agent, looking again after its commit, drains first)
            "2ms task 2 TASK_PREEMPT{was_latched} cpu0", // displaced by CPU 1's agent before it ran
            "2ms task 1 TASK_PREEMPT cpu1"), // on CPU 1's queue, which woke its agent
        where);
    assertEquals(-1, m.taskView(gtid(2)).firstRunNs());
    assertEquals(MS, m.taskView(gtid(1)).chargedRuntimeNs());
  }
}
