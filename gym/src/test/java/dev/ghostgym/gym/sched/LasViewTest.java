package dev.ghostgym.gym.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.agent.CentralizedAgents;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Las;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TaskView;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.gym.Step;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What behaviour cloning from least-attained-service relies on: {@link PickNextEnv#actionOf} is the
 * inverse of the environment's answers (driving the environment with LAS's actions is a LAS run,
 * trace for trace), {@code las_rank} puts 0 exactly where LAS would choose, {@code
 * queue_order=attained} keeps the run queue in LAS order, and the allocation-free observation still
 * equals the environment's.
 */
class LasViewTest {
  private static final long QUANTUM = 20_000;

  private static Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("workload", "rocksdb-shinjuku");
    o.put("service", "mix(0.9:const(10us),0.1:const(300us))");
    o.put("load", "0.6");
    o.put("cpus", 3);
    o.put("tasks", 600);
    o.put("slice", "20us");
    o.put("slots", 64);
    return o;
  }

  /** The run the environment's episode is, under LAS directly, as SchedulerEnv.reset builds it. */
  private static String lasTrace(long seed) {
    var w =
        Workloads.load(
            "rocksdb-shinjuku",
            Map.of("service", "mix(0.9:const(10us),0.1:const(300us))", "load", "0.6"),
            3);
    SimConfig cfg =
        new SimConfig(
            3,
            seed,
            Overheads.parse("paper"),
            1_000_000,
            false,
            SimConfig.cfsMinGranularityNs(3),
            600,
            0,
            false);
    Machine m =
        new Machine(
            cfg, w, new CentralizedAgents(new PolicyGuard(new Las(QUANTUM), Long.MAX_VALUE)));
    m.run();
    return m.result().traceSha256();
  }

  /** The queued task with the least attained service, the first on ties (LAS's choice). */
  private static int least(List<? extends TaskView> rq) {
    int best = -1;
    for (int i = 0; i < rq.size(); i++)
      if (best < 0 || rq.get(i).attainedNs() < rq.get(best).attainedNs()) best = i;
    return best;
  }

  @Test
  void drivingTheEnvironmentWithLasActionsIsALasRun() {
    PickNextEnv env = new PickNextEnv(options());
    Las las = new Las(QUANTUM);
    env.reset(11L, null);
    int picks = 0, keeps = 0, preempts = 0;
    Map<?, ?> metrics = null;
    for (boolean done = false; !done; ) {
      DecisionRequest r = env.external.pending();
      int a = env.actionOf(r, las);
      assertTrue(a >= 0 && env.mask(r)[a], r.kind() + " of " + r.runQueue().size() + ": " + a);
      if (r.kind() == DecisionRequest.Kind.PICK) {
        picks++;
        assertEquals(least(r.runQueue()), a);
      } else if (a == env.slots()) {
        keeps++;
      } else {
        preempts++;
      }
      Step<Map<String, Object>> s = env.step(a);
      done = s.terminated() || s.truncated();
      if (done) metrics = (Map<?, ?>) s.info().get("metrics");
    }
    assertTrue(picks > 100 && keeps > 10 && preempts > 10, picks + "/" + keeps + "/" + preempts);
    assertEquals(lasTrace(11L), metrics.get("trace_sha256"));
    assertNotEquals(lasTrace(12L), metrics.get("trace_sha256"));
  }

  @Test
  void lasRankIsZeroWhereLasChoosesAndTheAttainedOrderKeepsTheQueueSorted() {
    for (String order : new String[] {"fifo", "attained"}) {
      Map<String, Object> o = options();
      o.put("las_rank", "true");
      o.put("queue_order", order);
      PickNextEnv env = new PickNextEnv(o);
      Las las = new Las(QUANTUM);
      float[] buf = new float[env.observationSpace().flatDim()];
      int rankAt = buf.length - (env.slots() + 1);
      env.reset(3L, null);
      int unsorted = 0, steps = 0;
      for (boolean done = false; !done; steps++) {
        DecisionRequest r = env.external.pending();
        env.observeInto(r, buf);
        assertArrayEquals(env.observationSpace().flatten(env.observe(r)), buf, "step " + steps);
        List<? extends TaskView> rq = r.runQueue();
        int least = least(rq);
        for (int i = 0; i < Math.min(env.slots(), rq.size()); i++)
          assertEquals(i == least, buf[rankAt + i] == 0f, "slot " + i + " at step " + steps);
        if (r.kind() == DecisionRequest.Kind.SLICE)
          assertEquals(las.decide(r) == 0, buf[rankAt + env.slots()] == 0f, "step " + steps);
        for (int i = 1; i < rq.size(); i++)
          if (rq.get(i - 1).attainedNs() > rq.get(i).attainedNs()) unsorted++;
        Step<Map<String, Object>> s = env.step(env.actionOf(r, las));
        done = s.terminated() || s.truncated();
      }
      assertTrue(steps > 100, "steps " + steps);
      if (order.equals("attained")) {
        assertEquals(0, unsorted, "the queue is in least-attained order at every decision");
      } else {
        assertTrue(unsorted > 0, "FIFO order leaves served tasks ahead of fresh ones");
      }
    }
  }

  @Test
  void badValuesOfTheNewOptionsNameTheOption() {
    Map<String, Object> o = options();
    o.put("queue_order", "lifo");
    var e = assertThrows(IllegalArgumentException.class, () -> new PickNextEnv(o));
    assertEquals("queue_order: expected fifo or attained, got 'lifo'", e.getMessage());
    Map<String, Object> p = options();
    p.put("las_rank", "yes");
    e = assertThrows(IllegalArgumentException.class, () -> new PickNextEnv(p));
    assertEquals("las_rank: expected true or false, got 'yes'", e.getMessage());
  }
}
