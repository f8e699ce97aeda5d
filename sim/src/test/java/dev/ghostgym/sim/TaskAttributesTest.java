package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.US;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.config;
import static dev.ghostgym.sim.Kit.gtid;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.TaskBlocked;
import dev.ghostgym.abi.TaskPriorityChanged;
import dev.ghostgym.config.Program;
import dev.ghostgym.config.Step;
import dev.ghostgym.config.TaskTemplate;
import dev.ghostgym.sim.metrics.TaskRecord;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {affinity} and {nice} program steps: the task calls sched_setaffinity / set_user_nice on itself
 * while it runs. The message sequences follow ghost.c: _set_cpus_allowed_ghost produces
 * TASK_AFFINITY_CHANGED (gtid only), _prio_changed_ghost TASK_PRIORITY_CHANGED {gtid, nice}, and
 * _set_next_task_ghost forces the running task off its CPU, so TASK_PREEMPT follows. No check of
 * the mask at commit (validate_next_task, ghost_move_task): an agent that ignores it runs the task
 * anywhere. The nice value is the task's CFS weight once it runs in CFS (set_load_weight).
 */
class TaskAttributesTest {
  private static TaskTemplate ghost(int nice, Step... steps) {
    return new TaskTemplate("g", true, nice, 0, null, new Program(List.of(steps)));
  }

  private static TaskTemplate cfs(String name, Step... steps) {
    return new TaskTemplate(name, false, 0, 0, null, new Program(List.of(steps)));
  }

  @Test
  void affinityChangedThenPreemptAndTheKernelDoesNotEnforceTheMask() {
    ScriptAgents a = new ScriptAgents(0);
    Fifo fifo = new Fifo(a, g -> 0); // a FIFO that ignores affinity: every task lives on CPU 0
    List<BitSet> read = new ArrayList<>();
    a.with(
        ctx -> {
          if (ctx.got(MessageType.TASK_AFFINITY_CHANGED)) read.add(ctx.port.taskAffinity(gtid(1)));
          fifo.act(ctx);
        });
    Step affinity1 = new Step.Affinity(List.of(1));
    Machine m =
        new Machine(
            config(2), workload(at(ghost(0, run(100 * US), affinity1, run(100 * US)), 0)), a);
    m.run();
    assertEquals(
        List.of(
            "TASK_NEW@0#1",
            "TASK_AFFINITY_CHANGED@100000#2",
            "TASK_PREEMPT@100000#3",
            "TASK_BLOCKED@200000#4",
            "TASK_DEAD@200000#5"),
        a.story(gtid(1)));
    BitSet only1 = new BitSet();
    only1.set(1);
    assertEquals(List.of(only1), read, "sched_getaffinity reads the new mask");
    TaskBlocked b = a.of(gtid(1)).get(3).payload(TaskBlocked.class);
    assertEquals(0, b.cpu(), "committed to CPU 0, outside its mask, and it ran there");
  }

  @Test
  void priorityChangedCarriesTheNiceThenPreempt() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    Machine m =
        new Machine(
            config(1),
            workload(at(ghost(0, run(100 * US), new Step.Nice(5), run(100 * US)), 0)),
            a);
    m.run();
    assertEquals(
        List.of(
            "TASK_NEW@0#1",
            "TASK_PRIORITY_CHANGED@100000#2",
            "TASK_PREEMPT@100000#3",
            "TASK_BLOCKED@200000#4",
            "TASK_DEAD@200000#5"),
        a.story(gtid(1)));
    TaskPriorityChanged p = a.of(gtid(1)).get(1).payload(TaskPriorityChanged.class);
    assertEquals(new TaskPriorityChanged(gtid(1), 5), p);
  }

  // The ghOSt task sets nice 5 and leaves for CFS at once; a nice-0 CFS task arrives 1 us later.
  // 100 ms of work each on one CPU: with weights 1024 : 335 the nice-0 task cannot be done before
  // 1 us + 132.7 ms (FairClassTest's acceptance numbers), and START_DEBIT (place_entity) delays a
  // new task by at most one slice of the 6 ms period; at equal weights it ends near 200 ms.
  @Test
  void theNiceSetInGhostIsTheCfsWeightAfterDeparture() {
    double weighted = US + 100.0 * MS * (1024 + 335) / 1024;
    long end = niceZeroEnd(new Step.Nice(5));
    assertEquals(true, end >= weighted - MS && end <= weighted + 6 * MS, "n0 done at " + end);
    long equal = niceZeroEnd(new Step.Nice(0));
    assertEquals(true, equal > 190 * MS, "at equal weights n0 is done at " + equal);
  }

  private static long niceZeroEnd(Step nice) {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    Map<String, TaskRecord> byClass = new HashMap<>();
    Machine m =
        new Machine(
            config(1),
            workload(
                at(ghost(0, nice, Step.Depart.INSTANCE, run(100 * MS)), 0),
                at(cfs("n0", run(100 * MS)), US)),
            a);
    m.taskLog(r -> byClass.put(r.className(), r));
    m.run();
    return byClass.get("n0").end();
  }

  @Test
  void aRunningCfsTaskMovesOffACpuItsMaskNoLongerHas() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    Map<String, TaskRecord> byClass = new HashMap<>();
    Step to1 = new Step.Affinity(List.of(1));
    Machine m =
        new Machine(config(2), workload(at(cfs("c", run(10 * US), to1, run(10 * US)), 0)), a);
    m.taskLog(r -> byClass.put(r.className(), r));
    m.run();
    assertEquals(1, byClass.get("c").migrations(), "CPU 0 (first CFS home) to CPU 1");
    assertEquals(20 * US, byClass.get("c").end());
  }
}
