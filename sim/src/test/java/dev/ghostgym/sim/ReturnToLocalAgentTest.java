package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.config;
import static dev.ghostgym.sim.Kit.ghost;
import static dev.ghostgym.sim.Kit.gtid;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.sleep;
import static dev.ghostgym.sim.Kit.workload;
import static dev.ghostgym.sim.Kit.yieldCpu;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.TaskPreempt;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The return-to-local-agent run flags (docs/KERNEL-MODEL.md 2.6): the agent of CPU 0 owns the only
 * queue in use and commits tasks remotely to CPU 1, whose agent just yields; the RTLA flags of the
 * commit decide whether CPU 1's agent is run when the task blocks, yields or is preempted.
 *
 * <p>The commits carry DEFER_LATCHED_PREEMPTION_BY_AGENT: when a remote commit lands while CPU 1's
 * agent runs (it bumps that agent's barrier, so its RUN yield fails ESTALE and it loops), the
 * latched task is not preempted by the looping agent but runs once the agent blocks.
 */
class ReturnToLocalAgentTest {
  private static final int AT_COMMIT = CommitFlags.COMMIT_AT_TXN_COMMIT;
  private static final int DEFER = RunFlags.DEFER_LATCHED_PREEMPTION_BY_AGENT;

  /** CPU 0 puts task 1 on CPU 1 (with {@code runFlags}) whenever it becomes runnable. */
  private static ScriptAgents remoteRunner(int runFlags) {
    ScriptAgents a = new ScriptAgents(0);
    a.with(
        ctx -> {
          if (ctx.cpu == 0) {
            for (Message m : ctx.drained) {
              MessageType t = m.type();
              if (t == MessageType.TASK_NEW
                  || t == MessageType.TASK_WAKEUP
                  || t == MessageType.TASK_YIELD) {
                ctx.port.openTxn(1, m.gtid(), 0, ctx.seq(m.gtid()), runFlags | DEFER, AT_COMMIT);
                ctx.port.commit(1);
                return; // looks again at once (a spinning agent with a commit in flight)
              }
              if (t == MessageType.TASK_DEAD) ctx.port.freeStatusWord(m.gtid());
            }
          }
          ctx.yieldCpu(0);
        });
    return a;
  }

  private static List<Long> cpu1Activations(int runFlags) {
    ScriptAgents a = remoteRunner(runFlags);
    // Runs on CPU 1: 0..1ms, blocks until 2ms, runs 2..3ms, yields, runs 3..4ms.
    SimResult r =
        new Machine(
                config(2),
                workload(at(ghost(run(MS), sleep(MS), run(MS), yieldCpu(), run(MS)), 0)),
                a)
            .run();
    assertEquals(
        List.of(
            "TASK_NEW@0#1",
            "TASK_BLOCKED@1000000#2",
            "TASK_WAKEUP@2000000#3",
            "TASK_YIELD@3000000#4",
            "TASK_BLOCKED@4000000#5",
            "TASK_DEAD@4000000#6"),
        a.story(gtid(1)));
    assertEquals(4 * MS, r.endNs());
    return a.on(1).stream().map(ScriptAgents.Activation::at).distinct().toList();
  }

  // docs/KERNEL-MODEL.md 2.2 and 2.6: RTLA_ON_BLOCKED returns CPU 1 to its agent when the task
  // blocks
  // (the sleep at 1 ms, and the exit at 4 ms, which the kernel dequeues as a sleep:
  // _dequeue_task_ghost calls schedule_agent for both), RTLA_ON_YIELD when it yields; without them
  // CPU 1's agent is never woken (the messages go to CPU 0's queue).
  @Test
  void rtlaOnBlockedAndOnYieldRunTheLocalAgent() {
    assertEquals(List.of(0L), cpu1Activations(0));
    assertEquals(List.of(0L, MS, 4 * MS), cpu1Activations(RunFlags.RTLA_ON_BLOCKED));
    assertEquals(List.of(0L, 3 * MS), cpu1Activations(RunFlags.RTLA_ON_YIELD));
  }

  // docs/KERNEL-MODEL.md 2.6 (RTLA_ON_PREEMPT: switch straight back to the local agent), 2.1 (the
  // agent
  // is picked before any ghOSt task) and 2.14 (6): task 1 runs on CPU 1 with RTLA_ON_PREEMPT; at
  // 1 ms CPU 0 commits task 2 there. Task 1 is preempted, so CPU 1 goes to its agent first, and
  // task 2, latched but displaced by the agent before it ran, gets TASK_PREEMPT{was_latched}. It
  // must not be started while the agent is runnable.
  @Test
  void rtlaOnPreemptRunsTheAgentBeforeTheNewlyLatchedTask() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(
        ctx -> {
          if (ctx.cpu == 0) {
            long next = ctx.now() == 0 ? gtid(1) : ctx.got(MessageType.TASK_NEW) ? gtid(2) : 0;
            int flags = next == gtid(1) ? RunFlags.RTLA_ON_PREEMPT | DEFER : 0;
            boolean first = ctx.got(MessageType.TASK_NEW);
            if (next != 0 && first) {
              ctx.port.openTxn(1, next, 0, ctx.seq(next), flags, AT_COMMIT);
              ctx.port.commit(1);
              return;
            }
          }
          ctx.yieldCpu(0);
        });
    Machine m =
        new Machine(
            config(2),
            workload(at(ghost(run(2 * MS)), 0), at(ghost(run(2 * MS)), 0), at(ghost(run(MS)), MS)),
            a);
    m.run();

    // At t=0 only task 1 is committed (the NEWs of tasks 1 and 2 come in one drain); task 3's
    // TASK_NEW at 1 ms makes CPU 0 commit task 2 to CPU 1.
    assertEquals(List.of("TASK_NEW@0#1", "TASK_PREEMPT@1000000#2"), a.story(gtid(1)));
    assertEquals(List.of("TASK_NEW@0#1", "TASK_PREEMPT@1000000#2"), a.story(gtid(2)));
    TaskPreempt p1 = a.of(gtid(1)).get(1).payload(TaskPreempt.class);
    TaskPreempt p2 = a.of(gtid(2)).get(1).payload(TaskPreempt.class);
    assertFalse(p1.wasLatched());
    assertEquals(MS, p1.runtime());
    assertTrue(p2.wasLatched(), "task 2 never ran: the agent took CPU 1 first");
    assertEquals(0, p2.runtime());
    assertEquals(-1, m.taskView(gtid(2)).firstRunNs());
    assertEquals(
        List.of(0L, MS), a.on(1).stream().map(ScriptAgents.Activation::at).distinct().toList());
  }
}
