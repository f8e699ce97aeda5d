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

import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.TaskNew;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code discover tasks}: the kernel re-announces every live task (docs/KERNEL-MODEL.md 2.2, 2.11).
 */
class DiscoverTasksTest {

  // docs/KERNEL-MODEL.md 2.2 (last row: "discover tasks" gives TASK_NEW for every task in the
  // enclave)
  // and 2.11 (discovery: runnable = the task's RUNNABLE state). At 2 ms: task 1 runs on CPU 0,
  // task 2 sleeps (it ran on CPU 1), task 3 waits in CPU 0's run queue, task 4 has exited. Each
  // live task gets exactly one new TASK_NEW, into its own queue, with the next seqnum and
  // runnable = not blocked; the dead task gets none. The FIFO then finishes everything.
  @Test
  void discoverResendsTaskNewForEveryLiveTaskWithItsRunnableState() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a, g -> (int) ((g + 1) % 2))); // odd gtids on CPU 0, even on CPU 1
    Machine m =
        new Machine(
            config(2),
            workload(
                at(ghost(run(5 * MS)), 0),
                at(ghost(run(MS), sleep(10 * MS), run(MS)), 0),
                at(ghost(run(MS)), 0),
                at(ghost(run(500 * US)), 0)),
            a);
    m.at(2 * MS, () -> a.setup.discoverTasks());
    SimResult r = m.run();

    List<String> rediscovered = new ArrayList<>();
    for (ScriptAgents.Delivered d : a.ofType(MessageType.TASK_NEW)) {
      if (d.at() != 2 * MS) continue;
      TaskNew p = d.payload(TaskNew.class);
      rediscovered.add(
          "task "
              + d.gtid()
              + " #"
              + d.seqnum()
              + " runnable="
              + p.runnable()
              + " on CPU "
              + d.cpu());
    }
    // Produced in gtid order; delivered per queue (CPU 0's agent runs first at an instant).
    assertEquals(
        List.of(
            "task 1 #2 runnable=true on CPU 0", // on CPU: NEW(1), then this
            "task 3 #2 runnable=true on CPU 0", // queued: NEW(1), then this
            "task 2 #3 runnable=false on CPU 1"), // NEW(1), BLOCKED(2), then this
        rediscovered);
    assertEquals(
        MS,
        a.ofType(MessageType.TASK_NEW).stream()
            .filter(d -> d.at() == 2 * MS && d.gtid() == gtid(2))
            .findFirst()
            .orElseThrow()
            .payload(TaskNew.class)
            .runtime(),
        "a blocked task's runtime");
    assertEquals(
        List.of("TASK_NEW@0#1", "TASK_BLOCKED@1500000#2", "TASK_DEAD@1500000#3"), a.story(gtid(4)));
    // The agent of CPU 0 was woken by the TASK_NEWs, so task 1 was preempted; it still finishes.
    assertEquals(4, r.metrics().completed());
    assertEquals(12 * MS, r.endNs());
  }
}
