package dev.ghostgym.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.config.Arrival;
import dev.ghostgym.config.Source;
import dev.ghostgym.config.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The machine's running integral of waiting tasks (the gym's default reward) equals the sum of the
 * tasks' own waiting times, at the end and, at any instant, its increments equal the waiting tasks
 * times the elapsed time.
 */
class WaitingTimeTest {
  @Test
  void integralEqualsSumOfTaskWaitsAndGrowsWithWaitingTasks() {
    // 3000 tasks/s of 300 us on 1 CPU: rho 0.9, long queues.
    var w =
        new Workload(
            "p",
            "poisson",
            List.of(new Source("req", new Arrival.Poisson(3000), Kit.ghost(Kit.run(300 * Kit.US)))),
            Map.of());
    SimConfig cfg = SimConfig.of(1, 7, Kit.ZERO, 400).withInvariants(true);
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    Machine m = new Machine(cfg, w, a);
    List<long[]> samples = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      long t = i * 2_000_000L;
      m.at(t, () -> samples.add(new long[] {m.now(), m.waitingTimeNs(), m.waitingTasks()}));
      m.at(t + 1, () -> samples.add(new long[] {m.now(), m.waitingTimeNs(), m.waitingTasks()}));
    }
    SimResult r = m.run();
    assertEquals(r.metrics().waitSumNs(), m.waitingTimeNs(), "integral = sum of per-task waits");
    assertTrue(m.waitingTimeNs() > 0);
    boolean sawQueue = false;
    for (int i = 0; i + 1 < samples.size(); i += 2) {
      long[] x = samples.get(i), b = samples.get(i + 1);
      // Over 1 ns with nothing happening in between, the integral grows by the waiting count.
      if (x[2] == b[2]) assertEquals(x[2] * (b[0] - x[0]), b[1] - x[1], "at t=" + x[0]);
      sawQueue |= x[2] > 1;
    }
    assertTrue(sawQueue, "the run had queues to measure");
  }
}
