package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.cfs;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Each time CFS puts a task on a CPU it pays a context switch (the paper's 599 ns) during which the
 * CPU runs nothing; the tasks still get exactly their CPU time.
 */
class CfsContextSwitchTest {
  private static SimResult twoCfsTasksOnOneCpu(Overheads o) {
    // 3 ms slices: A B A B A B, then A's and B's last 1 ms: 8 switches to a CFS task.
    SimConfig cfg = SimConfig.of(1, 1, o, 2).withInvariants(true);
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    return new Machine(cfg, workload(at(cfs(run(10 * MS)), 0, 0)), a).run();
  }

  @Test
  void everyCfsStartPaysTheSwitchAndRuntimeIsUnchanged() {
    SimResult free = twoCfsTasksOnOneCpu(Overheads.NONE);
    SimResult paid = twoCfsTasksOnOneCpu(Overheads.PAPER);
    assertEquals(20 * MS, free.endNs());
    // Eight switches of 599 ns, plus the agent's first activation at time 0 (its 410 ns switch-in
    // and the 289 ns RUN ioctl with which it yields; KERNEL-MODEL.md 3.1), which holds the CPU
    // before CFS gets it.
    assertEquals(20 * MS + 8 * 599 + 410 + 289, paid.endNs(), "eight switches of 599 ns");
    assertEquals(20 * MS, paid.metrics().serviceSumNs(), "each task still ran exactly 10 ms");
    assertEquals(2, paid.metrics().completed());
  }
}
