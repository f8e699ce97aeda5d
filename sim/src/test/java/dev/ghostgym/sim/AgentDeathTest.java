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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TxnState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent of a CPU dies (docs/KERNEL-MODEL.md section 2.10); the enclave and its tasks survive.
 */
class AgentDeathTest {

  // docs/KERNEL-MODEL.md 2.10 and 2.14 (7): task 1 runs on CPU 1 when CPU 1's agent dies at 1 ms.
  // It
  // keeps running until it blocks at 2 ms; its TASK_BLOCKED and TASK_WAKEUP still go into the
  // (orphaned) queue of CPU 1; it never runs again: a commit to CPU 1 is NO_AGENT, and no ghOSt
  // task starts there. CPU 0's agent still schedules task 2, and the enclave stays alive.
  @Test
  void runningTaskKeepsRunningUntilItBlocksAndNothingStartsAfterwards() {
    ScriptAgents a = new ScriptAgents(0);
    Fifo fifo = new Fifo(a, g -> g == gtid(1) ? 1 : 0);
    int[] remote = {0};
    int[] phase = {0};
    a.with(
        ctx -> {
          if (ctx.cpu == 0 && phase[0] == 0 && ctx.got(MessageType.TASK_NEW) && ctx.now() > 0) {
            fifo.absorb(ctx);
            // Try to put task 2 on the agent-less CPU 1 first.
            ctx.port.openTxn(1, gtid(2), 0, ctx.seq(gtid(2)), 0, CommitFlags.COMMIT_AT_TXN_COMMIT);
            ctx.port.commit(1);
            phase[0] = 1;
            return;
          }
          if (ctx.cpu == 0 && phase[0] == 1) {
            remote[0] = ctx.port.txnState(1);
            phase[0] = 2;
          }
          fifo.act(ctx);
        });
    Machine m =
        new Machine(
            config(2),
            workload(at(ghost(run(2 * MS), sleep(MS), run(MS)), 0), at(ghost(run(MS)), 1500 * US)),
            a);
    m.at(MS, () -> m.killAgent(1));
    SimResult r = m.run();

    assertEquals("NO_AGENT", TxnState.of(remote[0]).name());
    // Task 1: only its TASK_NEW was ever delivered; the rest sits in CPU 1's orphaned queue.
    assertEquals(List.of("TASK_NEW@0#1"), a.story(gtid(1)));
    List<String> orphaned = new ArrayList<>();
    for (Message msg : m.queuedMessages(a.queue[1])) orphaned.add(msg.type() + "#" + msg.seqnum());
    assertEquals(List.of("TASK_BLOCKED#2", "TASK_WAKEUP#3"), orphaned);
    TaskView t1 = m.taskView(gtid(1));
    assertEquals(2 * MS, t1.chargedRuntimeNs(), "ran 0..2ms, through the agent's death at 1 ms");
    assertEquals(TaskState.RUNNABLE, t1.state(), "woken at 3 ms, never scheduled again");
    assertTrue(t1.ghost(), "the task stays in ghOSt");
    assertEquals(2 * MS, m.cpuView(1).ghostBusyNs());
    assertNull(m.cpuView(1).current());
    assertNull(m.cpuView(1).latched());
    assertEquals(AgentState.NO_AGENT, m.cpuView(1).agentState());
    assertTrue(m.isAlive(), "the enclave survives");
    // Task 2 ran on CPU 0, 1.5..2.5ms.
    assertEquals(
        List.of("TASK_NEW@1500000#1", "TASK_BLOCKED@2500000#2", "TASK_DEAD@2500000#3"),
        a.story(gtid(2)));
    assertEquals(new TaskDead(gtid(2), 0), a.of(gtid(2)).get(2).payload(TaskDead.class));
    assertEquals(3 * MS, r.endNs());
    assertEquals(1, r.metrics().completed());
    assertEquals(1, r.stillRunning());
  }

  // docs/KERNEL-MODEL.md 2.10 (the pending txn is killed with NO_AGENT) and 2.14 (7): the agent
  // commits
  // task 1 at t=0 but a local schedule costs 10 us, and the agent dies at 5 us, before the commit
  // lands. The txn ends NO_AGENT and the task never runs.
  @Test
  void commitInFlightWhenTheAgentDiesEndsNoAgent() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    Machine m =
        new Machine(config(1, Kit.localScheduleCost(10 * US)), workload(at(ghost(run(MS)), 0)), a);
    m.at(5 * US, () -> m.killAgent(0));
    SimResult r = m.run();
    assertEquals("NO_AGENT", TxnState.of(m.cpuView(0).txnState()).name());
    TaskView t = m.taskView(gtid(1));
    assertEquals(0, t.chargedRuntimeNs());
    assertEquals(TaskState.RUNNABLE, t.state());
    assertEquals(-1, t.cpu(), "never started anywhere");
    assertEquals(0, r.metrics().completed());
    assertEquals(1, r.stillRunning());
    assertTrue(m.isAlive());
  }

  // docs/KERNEL-MODEL.md 2.10: a txn that was opened (READY) but not yet committed when the agent
  // dies
  // is killed with NO_AGENT.
  @Test
  void openTxnWhenTheAgentDiesEndsNoAgent() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(
        ctx -> {
          if (ctx.got(MessageType.TASK_NEW)) {
            ctx.port.openTxn(
                0, gtid(1), ctx.aseq, ctx.seq(gtid(1)), 0, CommitFlags.COMMIT_AT_SCHEDULE);
          }
          ctx.yieldCpu(0);
        });
    Machine m = new Machine(config(1), workload(at(ghost(run(MS)), 0)), a);
    int[] before = {0};
    m.at(
        MS,
        () -> {
          before[0] = m.cpuView(0).txnState();
          m.killAgent(0);
        });
    m.run();
    assertEquals("READY", TxnState.of(before[0]).name());
    assertEquals("NO_AGENT", TxnState.of(m.cpuView(0).txnState()).name());
    assertEquals(0, m.taskView(gtid(1)).chargedRuntimeNs());
  }
}
