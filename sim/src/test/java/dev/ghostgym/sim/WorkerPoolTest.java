package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.config.Arrival;
import dev.ghostgym.config.Program;
import dev.ghostgym.config.Source;
import dev.ghostgym.config.TaskTemplate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Worker-pool servers (ghost-userspace experiments/rocksdb/ghost_orchestrator.cc): a fixed set of
 * threads that block between requests. The kernel sees each worker's TASK_NEW once, then a
 * TASK_WAKEUP and a TASK_BLOCKED per request it is woken for; latency is measured per request.
 */
class WorkerPoolTest {
  private static ScriptAgents fifo() {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    return a;
  }

  private static Source pool(int workers, double rate, long serviceNs) {
    TaskTemplate t =
        new TaskTemplate("req", true, 0, 0, null, new Program(List.of(run(serviceNs))));
    return new Source("req", new Arrival.WorkerPool(workers, rate), t);
  }

  // Light load (100 requests/s of 1 ms on 4 workers, 2 CPUs): every request finds an idle worker,
  // so the messages are 4 TASK_NEW (the workers), 4 first TASK_BLOCKED (each worker waits for
  // work), then one TASK_WAKEUP and one TASK_BLOCKED per request; no TASK_DEAD.
  @Test
  void eachRequestWakesAWorkerAndTheWorkerBlocksAfterIt() {
    SimConfig cfg = new SimConfig(2, 7, Overheads.NONE, 1_000_000, false, 1_500_000, 200, 0, true);
    SimResult r = new Machine(cfg, workload(pool(4, 100, MS)), fifo()).run();
    Map<String, Long> msgs = r.metrics().messagesByType();
    assertEquals(200, r.metrics().completed());
    assertEquals(4L, msgs.get("TASK_NEW"));
    assertEquals(200L, msgs.get("TASK_WAKEUP"));
    assertEquals(204L, msgs.get("TASK_BLOCKED"));
    assertEquals(0L, msgs.getOrDefault("TASK_DEAD", 0L));
    assertEquals(200, r.metrics().serviceSumNs() / MS, "each request ran its 1 ms");
  }

  // Saturated (one worker, requests faster than it serves them): the worker takes queued requests
  // back to back without blocking, so there are fewer wakeups than requests.
  @Test
  void aBusyWorkerTakesQueuedRequestsWithoutBlocking() {
    SimConfig cfg = new SimConfig(1, 3, Overheads.NONE, 1_000_000, false, 750_000, 500, 0, true);
    SimResult r = new Machine(cfg, workload(pool(1, 900, MS)), fifo()).run();
    long wakeups = r.metrics().messagesByType().get("TASK_WAKEUP");
    assertEquals(500, r.metrics().completed());
    assertTrue(wakeups < 250, "most requests are taken from the queue: " + wakeups + " wakeups");
    assertEquals(
        wakeups + 1,
        r.metrics().messagesByType().get("TASK_BLOCKED"),
        "a block before every wakeup");
  }

  // One worker on one CPU is an M/D/1 FCFS queue: mean response = S + rho*S / (2(1 - rho)) =
  // 1.5 ms at rho = 0.5 and S = 1 ms (Pollaczek-Khinchine), with no overheads.
  @Test
  void oneWorkerIsAnMd1Queue() {
    SimConfig cfg =
        new SimConfig(1, 11, Overheads.NONE, 1_000_000, false, 750_000, 40_000, 0, false);
    SimResult r = new Machine(cfg, workload(pool(1, 500, MS)), fifo()).run();
    assertEquals(1.5 * MS, r.metrics().meanResponseNs(), 0.05 * 1.5 * MS);
  }
}
