package dev.ghostgym.actors.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.config.Arrival;
import dev.ghostgym.config.Dists;
import dev.ghostgym.config.Program;
import dev.ghostgym.config.Source;
import dev.ghostgym.config.Step;
import dev.ghostgym.config.TaskTemplate;
import dev.ghostgym.config.Workload;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agents respect affinity, which the kernel does not enforce at commit: every task first
 * restricts itself to CPUs 2 and 3 ({affinity: [2, 3]}, TASK_AFFINITY_CHANGED then TASK_PREEMPT),
 * then runs 50 us. The agents read the mask (sched_getaffinity) and place or pick the task only
 * there, so CPUs 0 and 1 run no ghOSt work at all, as ghost-userspace's CFS agent keeps a task on
 * its {@code cpu_affinity}.
 */
class AffinityAgentsTest {
  private static final int TASKS = 200;
  private static final long RUN_NS = 50_000;

  @ParameterizedTest
  @ValueSource(strings = {"fifo", "centralized-fifo", "shinjuku", "cfs"})
  void tasksRunOnlyWhereTheirAffinityAllows(String policy) {
    List<Step> program =
        List.of(new Step.Affinity(List.of(2, 3)), new Step.Run(new Dists.Const(RUN_NS)));
    TaskTemplate t = new TaskTemplate("pinned", true, 0, 0, null, new Program(program));
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) times.add(i * 30_000L);
    Workload w =
        new Workload(
            "pinned",
            "hand-built",
            List.of(new Source("pinned", new Arrival.Fixed(times), t)),
            Map.of());
    Machine m =
        new Machine(
            SimConfig.of(4, 1, Overheads.NONE, TASKS).withInvariants(true),
            w,
            Policies.create(policy, Map.of(), 1));
    SimResult r = m.run();
    assertEquals(TASKS, r.metrics().completed());
    assertEquals((long) TASKS, r.metrics().messagesByType().get("TASK_AFFINITY_CHANGED"));
    assertEquals(0, m.cpuView(0).ghostBusyNs(), "CPU 0 is outside every mask");
    assertEquals(0, m.cpuView(1).ghostBusyNs(), "CPU 1 is outside every mask");
    assertEquals(
        TASKS * RUN_NS, m.cpuView(2).ghostBusyNs() + m.cpuView(3).ghostBusyNs(), "all the work");
  }
}
