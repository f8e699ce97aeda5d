package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.ghost;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.config.Arrival;
import dev.ghostgym.config.Program;
import dev.ghostgym.config.Source;
import dev.ghostgym.config.TaskTemplate;
import dev.ghostgym.port.PrioTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who writes the simulated PrioTable, and when (ghost_orchestrator.cc's protocol). */
class SimPrioTableTest {
  private static ScriptAgents fifo() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    return a;
  }

  // A pool worker's item: the dispatcher sets RUNNABLE (and the class) when it hands the worker a
  // request; the worker clears it when it runs out of work, before it blocks. One worker, one
  // request of 1 ms at a Poisson instant: probe the item every 100 us.
  @Test
  void poolWorkersAreMarkedRunnableWhileServingAndIdleOtherwise() {
    TaskTemplate t = new TaskTemplate("req", true, 0, 4, null, new Program(List.of(run(MS))));
    Source s = new Source("req", new Arrival.WorkerPool(1, 50), t);
    SimConfig cfg = new SimConfig(1, 2, Overheads.NONE, 1_000_000, false, 750_000, 3, 0, true);
    Machine m = new Machine(cfg, workload(s), fifo());
    long worker = Kit.gtid(1);
    List<long[]> probes = new ArrayList<>(); // {time, runnable, class, worker state ON_CPU}
    for (long x = 0; x < 200 * MS; x += 100_000) {
      long when = x;
      m.at(
          when,
          () -> {
            TaskView v = m.taskView(worker);
            probes.add(
                new long[] {
                  when,
                  m.prioTable.runnable(worker) ? 1 : 0,
                  m.prioTable.workClass(worker),
                  v != null && v.state() == TaskState.ON_CPU ? 1 : 0
                });
          });
    }
    m.run();
    assertTrue(m.prioTable.present());
    int serving = 0;
    for (long[] p : probes) {
      if (p[3] == 1) {
        serving++;
        assertEquals(1, p[1], "on CPU serving a request at " + p[0] + ": RUNNABLE");
        assertEquals(4, p[2]);
      }
    }
    assertTrue(serving >= 20, "about 3 ms of service probed: " + serving);
    assertFalse(m.prioTable.runnable(worker), "idle after the last request");
  }

  // No hint anywhere: no table; the agents' port gives PrioTable.NONE.
  @Test
  void aWorkloadWithoutHintsHasNoTable() {
    Machine m = new Machine(Kit.config(1), workload(at(ghost(run(MS)), 0)), fifo());
    m.run();
    assertFalse(m.prioTable.present());
    assertSame(PrioTable.NONE, m.setupPort.prioTable());
  }
}
