package dev.ghostgym.emulation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.config.Arrival;
import dev.ghostgym.config.Dists;
import dev.ghostgym.config.Program;
import dev.ghostgym.config.Source;
import dev.ghostgym.config.Step;
import dev.ghostgym.config.TaskTemplate;
import dev.ghostgym.config.Workload;
import dev.ghostgym.live.LiveEnclave;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Live agents respect affinity too: after TASK_AFFINITY_CHANGED their {@code GhostPort} asks the
 * device for the mask (sched_getaffinity; here the emulated kernel answers from the machine), so
 * tasks that restrict themselves to CPUs 2 and 3 never get ghOSt time on CPUs 0 and 1. Without the
 * device's answer every CPU would look allowed and the per-CPU agents would keep placing tasks on 0
 * and 1.
 */
class LiveAffinityTest {
  private static final int TASKS = 100;
  private static final long RUN_NS = 50_000;

  @ParameterizedTest
  @ValueSource(strings = {"fifo", "centralized-fifo"})
  void liveAgentsPlaceTasksOnlyWhereTheirAffinityAllows(String policy) {
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
    EmulatedKernel kernel = Runs.kernel(AbiVersion.V91, 0);
    LiveEnclave live =
        new LiveEnclave(
            kernel,
            Policies.create(policy, Map.of(), 1),
            kernel.turns(),
            LiveEnclave.Options.emulated(),
            new PrintStream(new ByteArrayOutputStream()));
    Machine m = kernel.boot(SimConfig.of(4, 1, Overheads.NONE, TASKS), w, kernel.threaded(live));
    SimResult r;
    try {
      r = m.run();
    } finally {
      live.close();
    }
    assertEquals(TASKS, r.metrics().completed());
    assertEquals(0, m.cpuView(0).ghostBusyNs(), "CPU 0 is outside every mask");
    assertEquals(0, m.cpuView(1).ghostBusyNs(), "CPU 1 is outside every mask");
    assertEquals(TASKS * RUN_NS, m.cpuView(2).ghostBusyNs() + m.cpuView(3).ghostBusyNs());
  }
}
