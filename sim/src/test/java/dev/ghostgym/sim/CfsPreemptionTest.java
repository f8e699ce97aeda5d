package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.cfs;
import static dev.ghostgym.sim.Kit.config;
import static dev.ghostgym.sim.Kit.ghost;
import static dev.ghostgym.sim.Kit.gtid;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TaskPreempt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A CFS task taking a CPU from ghOSt (docs/KERNEL-MODEL.md section 2.9). */
class CfsPreemptionTest {
  private static final int AVAIL_BOOST = StatusFlags.CPU_AVAIL | StatusFlags.BOOST_PRIO;

  // docs/KERNEL-MODEL.md 2.9 (1-5) and 2.12 (BOOST_PRIO: yield with RTLA_ON_IDLE): CFS task 2 (2
  // ms)
  // becomes runnable at 3 ms on the CPU where ghOSt task 1 (10 ms) runs. Task 1 gets TASK_PREEMPT;
  // the agent sees BOOST_PRIO without CPU_AVAIL and yields with RTLA_ON_IDLE; the CFS task runs
  // 3..5ms; when it leaves the agent runs again (CPU_AVAIL back, no BOOST_PRIO) and resumes task 1,
  // which finishes at 12 ms.
  @Test
  void cfsTaskPreemptsGhostTaskAndTheAgentGetsTheCpuBackWhenItLeaves() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    Machine m =
        new Machine(
            config(1), workload(at(ghost(run(10 * MS)), 0), at(cfs(run(2 * MS)), 3 * MS)), a);
    SimResult r = m.run();

    assertEquals(
        List.of(
            "TASK_NEW@0#1",
            "TASK_PREEMPT@3000000#2",
            "TASK_BLOCKED@12000000#3",
            "TASK_DEAD@12000000#4"),
        a.story(gtid(1)));
    TaskPreempt p = a.of(gtid(1)).get(1).payload(TaskPreempt.class);
    assertEquals(0, p.cpu());
    assertFalse(p.wasLatched());
    assertEquals(3 * MS, p.runtime());
    assertEquals(List.of(), a.story(gtid(2)), "a CFS task produces no ghOSt messages");

    List<String> seen = new ArrayList<>();
    for (ScriptAgents.Activation x : a.on(0)) seen.add(x.at() + ":" + flags(x.flags()));
    assertEquals(
        List.of("0:CPU_AVAIL", "3000000:BOOST_PRIO", "5000000:CPU_AVAIL", "12000000:CPU_AVAIL"),
        seen);
    // The agent yielded with RTLA_ON_IDLE at 3 ms and was run again at 5 ms without any message.
    assertEquals(List.of(), a.delivered.stream().filter(d -> d.at() == 5 * MS).toList());

    assertEquals(12 * MS, r.endNs());
    assertEquals(2, r.metrics().completed());
    assertEquals(10 * MS, m.cpuView(0).ghostBusyNs());
    assertEquals(2 * MS, m.cpuView(0).cfsBusyNs());
  }

  // docs/KERNEL-MODEL.md 2.6 (RTLA_ON_IDLE) and 2.9 (4): an agent that yields without RTLA_ON_IDLE
  // is
  // not run again when the CFS task leaves; the CPU idles until the next message.
  @Test
  void withoutRtlaOnIdleTheAgentIsNotRunWhenTheCfsTaskLeaves() {
    ScriptAgents a = new ScriptAgents(0);
    Fifo fifo = new Fifo(a);
    a.with(
        ctx -> {
          if ((ctx.flags & StatusFlags.BOOST_PRIO) != 0) {
            fifo.absorb(ctx);
            ctx.yieldCpu(0); // gives the CPU away without asking for it back
            return;
          }
          fifo.act(ctx);
        });
    // Task 3 arrives at 8 ms: its TASK_NEW is the next thing that wakes the agent.
    Machine m =
        new Machine(
            config(1),
            workload(
                at(ghost(run(10 * MS)), 0),
                at(cfs(run(2 * MS)), 3 * MS),
                at(ghost(run(MS)), 8 * MS)),
            a);
    SimResult r = m.run();
    List<Long> times = a.on(0).stream().map(ScriptAgents.Activation::at).distinct().toList();
    assertEquals(List.of(0L, 3 * MS, 8 * MS, 15 * MS, 16 * MS), times);
    // Task 1 waited from 5 to 8 ms: it resumes at 8 ms (front of the run queue) and ends at 15 ms.
    assertEquals(
        List.of(
            "TASK_NEW@0#1",
            "TASK_PREEMPT@3000000#2",
            "TASK_BLOCKED@15000000#3",
            "TASK_DEAD@15000000#4"),
        a.story(gtid(1)));
    assertEquals(16 * MS, r.endNs());
  }

  private static String flags(int f) {
    return switch (f & AVAIL_BOOST) {
      case StatusFlags.CPU_AVAIL -> "CPU_AVAIL";
      case StatusFlags.BOOST_PRIO -> "BOOST_PRIO";
      case 0 -> "none";
      default -> "CPU_AVAIL|BOOST_PRIO";
    };
  }
}
