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

import dev.ghostgym.abi.CpuTick;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.config.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CPU_TICK (docs/KERNEL-MODEL.md section 2.8). */
class TicksTest {

  /** 3 CPUs: CPU 0 runs ghOSt tasks, CPU 1's agent spins (never yields), CPU 2 stays idle. */
  private static ScriptAgents agents() {
    ScriptAgents a = new ScriptAgents(0);
    Fifo fifo = new Fifo(a, g -> 0);
    a.with(
        ctx -> {
          if (ctx.cpu == 1) return; // neither commits nor yields: keeps its CPU, polling
          fifo.act(ctx);
        });
    return a;
  }

  /** Task 1 runs 0..2.5ms; task 2 runs 4.5..4.7ms; both on CPU 0. */
  private static Workload work() {
    return workload(at(ghost(run(2500 * US)), 0), at(ghost(run(200 * US)), 4500 * US));
  }

  // docs/KERNEL-MODEL.md 2.8: with deliver_ticks, every 1 ms tick produces CPU_TICK only on a CPU
  // whose
  // current task is ghOSt-class: CPU 0 while task 1 runs (1, 2 ms; is_agent = 0), CPU 1 where the
  // agent spins (1..4 ms; is_agent = 1); none on CPU 0 at 3 and 4 ms (idle) and none on idle CPU 2.
  // Producing the tick moves that CPU's Aseq (produce_for_agent: the tick's seqnum is the new
  // Aseq), and waking the agent its queue names moves it again (__ghost_wake_agent_on): here each
  // CPU's queue wakes its own agent, which preempts the running task once per tick.
  @Test
  void ticksOnlyWhereAGhostTaskOrAgentRunsAndEachMovesTheAgentBarrier() {
    ScriptAgents a = agents();
    Machine m = new Machine(config(3).withTicks(true), work(), a);
    SimResult r = m.run();

    List<String> ticks = new ArrayList<>();
    for (ScriptAgents.Delivered d : a.ofType(MessageType.CPU_TICK)) {
      CpuTick p = d.payload(CpuTick.class);
      assertEquals(d.cpu(), p.cpu(), "delivered to the agent of the CPU it is about");
      ticks.add(
          d.at() / MS
              + "ms cpu"
              + p.cpu()
              + (p.isAgent() ? " agent" : " task")
              + " #"
              + d.seqnum());
    }
    // CPU 0's Aseq before the first tick is 2: TASK_NEW's wakeup (1), the commit of task 1 (2).
    assertEquals(
        List.of(
            "1ms cpu0 task #3",
            "1ms cpu1 agent #1",
            "2ms cpu0 task #7",
            "2ms cpu1 agent #3",
            "3ms cpu1 agent #5",
            "4ms cpu1 agent #7"),
        ticks);
    // On CPU 1 nothing else moves the barrier: each activation reads the tick's seqnum + 1 (wake).
    List<Integer> cpu1 = a.on(1).stream().map(ScriptAgents.Activation::aseq).toList();
    assertEquals(List.of(0, 2, 4, 6, 8), cpu1);
    // On CPU 0 the tick (+1) and its wakeup (+1) run the agent, which preempts task 1 (its
    // TASK_PREEMPT wakes the agent again, +1); its commit of task 1 adds one more before the next
    // tick.
    for (ScriptAgents.Activation x : a.on(0)) {
      if (x.at() == MS) assertEquals(5, x.aseq());
      if (x.at() == 2 * MS) assertEquals(9, x.aseq());
    }
    assertEquals(
        List.of(
            "TASK_NEW@0#1",
            "TASK_PREEMPT@1000000#2",
            "TASK_PREEMPT@2000000#3",
            "TASK_BLOCKED@2500000#4",
            "TASK_DEAD@2500000#5"),
        a.story(gtid(1)));
    assertEquals(4700 * US, r.endNs());
  }

  // docs/KERNEL-MODEL.md 2.8: without deliver_ticks (the default) no CPU_TICK is produced at all.
  @Test
  void noTicksWithoutDeliverTicks() {
    ScriptAgents a = agents();
    new Machine(config(3), work(), a).run();
    assertEquals(List.of(), a.ofType(MessageType.CPU_TICK));
    assertEquals(
        List.of("TASK_NEW@0#1", "TASK_BLOCKED@2500000#2", "TASK_DEAD@2500000#3"), a.story(gtid(1)));
  }
}
