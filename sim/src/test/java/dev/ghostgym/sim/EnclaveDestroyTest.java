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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.TaskDeparted;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Enclave destruction: every task falls back to CFS (docs/KERNEL-MODEL.md section 2.10). */
class EnclaveDestroyTest {

  // docs/KERNEL-MODEL.md 2.10 (enclave destruction: agents die, every task gets TASK_DEPARTED into
  // its
  // queue and falls back to CFS) and 2.14 (8). At 1 ms: task 1 runs on CPU 0, task 2 sleeps (it
  // ran on CPU 1), task 3 waits in CPU 0's run queue. All three still finish, in CFS; task 4
  // arrives after the destruction and is a CFS task from the start (no messages). Accounting:
  // arrived = completed + departed + still running.
  @Test
  void everyTaskDepartsToCfsAndStillFinishes() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a, g -> g == gtid(2) ? 1 : 0));
    Machine m =
        new Machine(
            config(2),
            workload(
                at(ghost(run(3 * MS)), 0),
                at(ghost(run(500 * US), sleep(2 * MS), run(MS)), 0),
                at(ghost(run(MS)), 0),
                at(ghost(run(MS)), 2 * MS)),
            a);
    m.at(MS, m::destroyEnclave);
    SimResult r = m.run();

    assertFalse(m.isAlive());
    // What the agents saw before they died.
    assertEquals(List.of("TASK_NEW@0#1"), a.story(gtid(1)));
    assertEquals(List.of("TASK_NEW@0#1", "TASK_BLOCKED@500000#2"), a.story(gtid(2)));
    assertEquals(List.of("TASK_NEW@0#1"), a.story(gtid(3)));
    assertEquals(List.of(), a.story(gtid(4)));
    // What the kernel produced afterwards: one TASK_DEPARTED per task, into its queue.
    assertEquals(
        List.of("TASK_DEPARTED#2:" + gtid(1), "TASK_DEPARTED#2:" + gtid(3)), left(m, a.queue[0]));
    assertEquals(List.of("TASK_DEPARTED#3:" + gtid(2)), left(m, a.queue[1]));
    TaskDeparted d1 = (TaskDeparted) m.queuedMessages(a.queue[0]).get(0).payload();
    assertTrue(d1.wasCurrent());
    assertEquals(0, d1.cpu());
    TaskDeparted d2 = (TaskDeparted) m.queuedMessages(a.queue[1]).get(0).payload();
    assertFalse(d2.wasCurrent());
    assertEquals(1, d2.cpu());

    // Task 1 kept its CPU: 0..3ms without a break. Everything finished; nothing is left in ghOSt.
    assertEquals(
        3 * MS,
        m.cpuView(0).ghostBusyNs() + m.cpuView(0).cfsBusyNs() - MS,
        "CPU 0 ran task 1 for 3 ms and task 3 for 1 ms");
    assertEquals(4, r.metrics().arrived());
    assertEquals(3, r.metrics().departed());
    assertEquals(1, r.metrics().completed());
    assertEquals(0, r.stillRunning());
    SimAssertions.assertEveryTaskAccountedFor(r);
    assertTrue(m.liveTasks().isEmpty(), "every task exited: " + m.liveTasks());
    assertEquals(4 * MS, r.endNs());
    for (int i = 0; i < m.cpuCount(); i++)
      assertEquals(AgentState.NO_AGENT, m.cpuView(i).agentState());
  }

  // docs/KERNEL-MODEL.md 2.10: after destruction a commit has nowhere to go (every agent is dead),
  // and a
  // destroyed enclave produces no more ghOSt messages (a task arriving later is plain CFS).
  @Test
  void afterDestructionNothingIsGhost() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    Machine m = new Machine(config(1), workload(at(ghost(run(MS)), 0, 2 * MS)), a);
    m.at(500 * US, m::destroyEnclave);
    SimResult r = m.run();
    assertEquals(List.of("TASK_NEW@0#1"), a.story(gtid(1)));
    assertEquals(List.of(), a.story(gtid(2)));
    assertEquals(
        List.of(MessageType.TASK_DEPARTED),
        m.queuedMessages(a.queue[0]).stream().map(Message::type).toList());
    assertEquals(2, r.metrics().arrived());
    assertEquals(1, r.metrics().departed());
    assertEquals(1, r.metrics().completed());
    assertEquals(3 * MS, r.endNs());
    // Task 1 ran 0..1ms (0.5 ms of it in ghOSt), task 2 ran 2..3ms in CFS. (The simulator charges
    // a burst to the class the task is in when the burst ends, so the split is not checked.)
    assertEquals(2 * MS, m.cpuView(0).ghostBusyNs() + m.cpuView(0).cfsBusyNs());
  }

  private static List<String> left(Machine m, int queue) {
    List<String> out = new ArrayList<>();
    for (Message msg : m.queuedMessages(queue))
      out.add(msg.type() + "#" + msg.seqnum() + ":" + msg.gtid());
    return out;
  }
}
