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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskBlocked;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskWakeup;
import dev.ghostgym.abi.TaskYield;
import dev.ghostgym.sim.ScriptAgents.Delivered;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which task messages the kernel produces, when, into which queue, with which seqnum. */
class MessagesTest {

  // docs/KERNEL-MODEL.md 2.2 (a task entering ghOSt gets TASK_NEW into the enclave's default queue)
  // and
  // 2.3 (the message's seqnum is the task barrier Tseq, incremented first).
  @Test
  void taskNewOnArrivalGoesToTheDefaultQueueWithSeqnumEqualToTheBarrier() {
    ScriptAgents a = new ScriptAgents(1); // two CPUs, CPU 1's queue is the default queue
    Machine m = new Machine(config(2), workload(at(ghost(run(MS)), MS, 2 * MS)), a);
    m.run();

    assertEquals(List.of("TASK_NEW@1000000#1"), a.story(gtid(1)));
    assertEquals(List.of("TASK_NEW@2000000#1"), a.story(gtid(2)));
    for (Delivered d : a.delivered) {
      assertEquals(1, d.cpu(), "TASK_NEW is delivered on the default queue (CPU 1's)");
      TaskNew p = d.payload(TaskNew.class);
      assertEquals(d.gtid(), p.gtid());
      assertTrue(p.runnable(), "a task that arrives is runnable");
      assertEquals(0, p.parentGtid());
      assertEquals(0, p.runtime());
      assertEquals(new SwInfo(0, (int) d.gtid()), p.swInfo());
    }
    // Seqnum = Tseq: right after the drain the status-word barrier equals the seqnum.
    assertEquals(2, a.barrierChecks.size());
    for (ScriptAgents.BarrierCheck c : a.barrierChecks) assertEquals(1, c.barrier());
    assertEquals(1, a.setup.taskBarrier(gtid(1)));
  }

  // docs/KERNEL-MODEL.md 2.2 (a new task's queue is the default queue at the time; it may be NULL)
  // and
  // 2.3 (the barrier is incremented even when no message is produced: the task has no queue).
  @Test
  void withoutADefaultQueueTaskNewIsSuppressedButTheBarrierMoves() {
    ScriptAgents a = new ScriptAgents(-1); // no default queue at first
    Machine m = new Machine(config(1), workload(at(ghost(run(MS)), MS, 3 * MS)), a);
    m.at(2 * MS, () -> a.setup.setDefaultQueue(a.queue[0]));
    m.run();

    // Task 1 arrived before there was a default queue: no message, barrier 1, no queue.
    assertEquals(List.of(), a.story(gtid(1)));
    TaskView t1 = m.taskView(gtid(1));
    assertEquals(1, t1.barrier());
    assertEquals(-1, t1.queueId(), "no queue");
    assertEquals(1, a.setup.taskBarrier(gtid(1)));
    // Task 2 arrived after SET_DEFAULT_QUEUE: its TASK_NEW is there, seqnum 1.
    assertEquals(List.of("TASK_NEW@3000000#1"), a.story(gtid(2)));
    assertEquals(a.queue[0], m.taskView(gtid(2)).queueId());
    // The agent can still adopt task 1 by associating it with the barrier it reads.
    assertEquals(-AbiConstants.ESTALE, a.setup.assocQueue(gtid(1), a.queue[0], 0));
    assertEquals(0, a.setup.assocQueue(gtid(1), a.queue[0], 1));
  }

  // docs/KERNEL-MODEL.md 2.2: TASK_BLOCKED when a running task blocks, TASK_WAKEUP when it is
  // woken,
  // TASK_YIELD once the yielding task is off the CPU; on exit TASK_BLOCKED then TASK_DEAD (the
  // exiting task's last schedule dequeues it as a sleep: _dequeue_task_ghost, then
  // _task_dead_ghost; ghost-userspace's TaskDead handlers CHECK the task is blocked); cpu_seqnum
  // counts every per-CPU state change (commit, block, yield).
  @Test
  void blockedWakeupYieldAndDeadComeAtTheRightTimesInOrder() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    Machine m =
        new Machine(
            config(1),
            workload(at(ghost(run(MS), sleep(2 * MS), run(MS), yieldCpu(), run(MS)), 0)),
            a);
    SimResult r = m.run();

    assertEquals(
        List.of(
            "TASK_NEW@0#1",
            "TASK_BLOCKED@1000000#2", // ran 0..1ms, then sleeps
            "TASK_WAKEUP@3000000#3", // woken 2ms later
            "TASK_YIELD@4000000#4", // ran 3..4ms, then yields
            "TASK_BLOCKED@5000000#5", // ran 4..5ms, then exits: blocked first,
            "TASK_DEAD@5000000#6"), // then dead
        a.story(gtid(1)));
    List<Delivered> d = a.of(gtid(1));
    TaskBlocked blocked = d.get(1).payload(TaskBlocked.class);
    assertEquals(MS, blocked.runtime());
    assertEquals(0, blocked.cpu());
    assertEquals(2, blocked.cpuSeqnum()); // commit at 0 (1), block (2)
    TaskWakeup wakeup = d.get(2).payload(TaskWakeup.class);
    assertEquals(0, wakeup.lastRanCpu());
    assertFalse(wakeup.deferrable());
    TaskYield yielded = d.get(3).payload(TaskYield.class);
    assertEquals(2 * MS, yielded.runtime());
    assertEquals(4, yielded.cpuSeqnum()); // commit at 3ms (3), yield (4)
    TaskBlocked exiting = d.get(4).payload(TaskBlocked.class);
    assertEquals(3 * MS, exiting.runtime());
    assertEquals(6, exiting.cpuSeqnum()); // commit at 4ms (5), the exit's block (6)
    assertEquals(new TaskDead(gtid(1), 0), d.get(5).payload(TaskDead.class));

    assertEquals(5 * MS, r.endNs());
    assertEquals(1, r.metrics().completed());
    assertEquals(3 * MS, m.cpuView(0).ghostBusyNs());
    assertEquals(3 * MS, r.metrics().serviceSumNs());
  }

  // docs/KERNEL-MODEL.md 2.3 and 2.14 (1): per task the delivered seqnums strictly increase (here,
  // with
  // nothing suppressed, by exactly one), and once the agent has drained a task's queue the
  // status-word barrier equals the last seqnum it saw.
  @Test
  void perTaskSeqnumsIncreaseAndTheBarrierEqualsTheLastSeqnum() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    var program = ghost(run(300 * US), sleep(200 * US), run(100 * US), yieldCpu(), run(50 * US));
    Machine m =
        new Machine(
            config(2), workload(at(program, 0, 10 * US, 20 * US, 150 * US, 400 * US, 410 * US)), a);
    SimResult r = m.run();

    assertEquals(6, r.metrics().completed());
    Map<Long, Integer> last = new HashMap<>();
    for (Delivered d : a.delivered) {
      if (!d.type().isTaskMessage()) continue;
      int prev = last.getOrDefault(d.gtid(), 0);
      assertEquals(prev + 1, d.seqnum(), "seqnum of " + d + " after " + prev);
      last.put(d.gtid(), d.seqnum());
    }
    for (int i = 1; i <= 6; i++) {
      List<Delivered> story = a.of(gtid(i));
      assertEquals(MessageType.TASK_NEW, story.get(0).type());
      assertEquals(MessageType.TASK_DEAD, story.get(story.size() - 1).type());
      // NEW, BLOCKED, WAKEUP, YIELD, DEAD, plus one PREEMPT per agent wakeup while it ran.
      assertTrue(story.size() >= 5, "messages of task " + i + ": " + a.story(gtid(i)));
    }
    assertFalse(a.barrierChecks.isEmpty());
    for (ScriptAgents.BarrierCheck c : a.barrierChecks) {
      assertEquals(c.lastSeqnum(), c.barrier(), "barrier after draining, " + c);
    }
  }
}
