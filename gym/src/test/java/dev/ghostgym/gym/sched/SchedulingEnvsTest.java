package dev.ghostgym.gym.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.gym.CheckReport;
import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.EnvChecker;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.ToIntBiFunction;
import org.junit.jupiter.api.Test;

/**
 * The ghost/ environments: the checker's contract, exact structure, and parity with the policies.
 */
class SchedulingEnvsTest {
  private static final Map<String, Object> SMALL = Map.of("tasks", 300, "cpus", 2);

  @Test
  void everyGhostEnvPassesTheEnvChecker() {
    for (String id : List.of(GhostEnvs.SEED_COMPAT, GhostEnvs.PICK_NEXT, GhostEnvs.PLACEMENT)) {
      Env<?, ?> env = Gym.make(id, SMALL);
      CheckReport report = EnvChecker.check(env);
      assertTrue(report.passed().size() >= 8, id + ": " + report);
    }
    Map<String, Object> sliced = new HashMap<>(SMALL);
    sliced.put("slice", "30us");
    assertTrue(EnvChecker.check(Gym.make(GhostEnvs.PICK_NEXT, sliced)).passed().size() >= 8);
  }

  /** Plays an episode with a chooser of actions; returns the return and the final info metrics. */
  @SuppressWarnings("unchecked")
  static <O> Object[] play(
      Env<O, Integer> env, long seed, ToIntBiFunction<O, Map<String, Object>> chooser) {
    Reset<O> r = env.reset(seed, null);
    O obs = r.observation();
    Map<String, Object> info = r.info();
    double ret = 0;
    int steps = 0;
    while (true) {
      Step<O> s = env.step(chooser.applyAsInt(obs, info));
      ret += s.reward();
      steps++;
      obs = s.observation();
      info = s.info();
      if (s.terminated() || s.truncated()) break;
    }
    return new Object[] {ret, info.get("metrics"), steps};
  }

  static int lastValid(Map<String, Object> info) {
    boolean[] m = (boolean[]) info.get("action_mask");
    int last = 0;
    for (int i = 0; i < m.length; i++) if (m[i]) last = i;
    return last;
  }

  static int randomValid(Map<String, Object> info, SplittableRandom rng) {
    boolean[] m = (boolean[]) info.get("action_mask");
    int n = 0;
    for (boolean b : m) if (b) n++;
    int k = rng.nextInt(n);
    for (int i = 0; i < m.length; i++) if (m[i] && k-- == 0) return i;
    throw new AssertionError("empty mask");
  }

  @Test
  @SuppressWarnings("unchecked")
  void insertAtTheBackOnSeedCompatReproducesTheFifoPolicyExactly() {
    Map<String, Object> o = Map.of("workload", "mmc", "cpus", 2, "tasks", 3000, "load", "0.5");
    Env<List<Object>, Integer> env =
        (Env<List<Object>, Integer>) (Env<?, ?>) Gym.make(GhostEnvs.SEED_COMPAT, o);
    Object[] back = play(env, 5, (obs, info) -> lastValid(info));
    Map<String, Object> m = (Map<String, Object>) back[1];

    SimConfig cfg =
        new SimConfig(2, 5, Overheads.PAPER, 1_000_000, false, 3_000_000, 3000, 0, false);
    SimResult fifo =
        new Machine(cfg, Workloads.load("mmc", Map.of("load", "0.5"), 2), Policies.create("fifo"))
            .run();
    assertEquals(fifo.metrics().completed(), m.get("tasks_completed"));
    assertEquals(fifo.metrics().meanResponseNs() / 1e3, (double) m.get("response_mean_us"), 1e-9);
    assertEquals(fifo.metrics().response().p99(), (double) m.get("response_p99_us"), 1e-9);
    assertEquals(fifo.traceSha256(), m.get("trace_sha256"), "the same run, event for event");
    assertTrue((int) back[2] > 3000, "a step per actionable event: " + back[2]);

    SplittableRandom rng = new SplittableRandom(1);
    Object[] random = play(env, 5, (obs, info) -> randomValid(info, rng));
    assertNotEquals((double) back[0], (double) random[0], "random positions give another return");
    assertEquals(
        -(double) m.get("wait_total_ms"),
        (double) back[0],
        1e-6,
        "the wait return is minus the total wait");
  }

  @Test
  @SuppressWarnings("unchecked")
  void seedCompatObservationHasThePrototypesStructure() {
    Env<List<Object>, Integer> env =
        (Env<List<Object>, Integer>)
            (Env<?, ?>)
                Gym.make(
                    GhostEnvs.SEED_COMPAT,
                    Map.of("workload", "seed-single-exp", "cpus", 2, "overheads", "none"));
    Reset<List<Object>> r = env.reset(3L, null);
    List<Object> obs = r.observation();
    assertEquals(3, obs.size(), "2 previous events + the actionable one");
    Set<Integer> callbacks = new TreeSet<>();
    boolean sawHistory = false;
    boolean sawQueued = false;
    Step<List<Object>> s;
    do {
      assertTrue(env.observationSpace().contains(obs));
      for (Object e : obs) {
        Map<String, Object> ev = (Map<String, Object>) e;
        int cb = (int) ev.get("callback_type");
        callbacks.add(cb);
        List<Object> rq = (List<Object>) ev.get("runqueue");
        assertEquals(8, rq.size(), "run queue padded to the cutoff");
        Map<String, Object> tm = (Map<String, Object>) ev.get("task_metrics");
        float vsize = ((float[]) tm.get("vsize"))[0];
        if (cb != 7) {
          assertEquals(16f, vsize, 0f, "ln(256 MiB) = 19.4, capped at 16");
          for (String f : List.of("utime", "stime", "guest_time")) {
            float v = ((float[]) tm.get(f))[0];
            assertTrue(v >= 0 && v <= 16, f + " " + v);
          }
        }
      }
      Map<String, Object> actionable = (Map<String, Object>) obs.get(2);
      int cb = (int) actionable.get("callback_type");
      assertTrue(List.of(0, 1, 4, 6).contains(cb), "actionable callback " + cb);
      assertEquals(
          2,
          ((Map<String, Object>) actionable.get("task_metrics")).get("run_state"),
          "sent as Queued");
      sawHistory |= (int) ((Map<String, Object>) obs.get(1)).get("callback_type") != 7;
      sawQueued |=
          (int)
                  ((Map<String, Object>) ((List<Object>) actionable.get("runqueue")).get(0))
                      .get("run_state")
              == 2;
      s = env.step(0);
      obs = s.observation();
    } while (!s.terminated());
    assertTrue(callbacks.contains(0), "TASK_NEW seen: " + callbacks);
    assertTrue(
        callbacks.contains(5) || callbacks.contains(3),
        "BLOCKED or DEAD in the history: " + callbacks);
    assertTrue(sawHistory, "history filled");
    assertTrue(sawQueued || callbacks.size() > 2);
    assertThrows(IllegalStateException.class, () -> env.step(0), "step after the end");
  }

  @Test
  @SuppressWarnings("unchecked")
  void leastAttainedServiceThroughPickNextSlicesBeatsFifo() {
    Map<String, Object> o =
        Map.of(
            "workload",
            "rocksdb-shinjuku",
            "cpus",
            2,
            "tasks",
            3000,
            "overheads",
            "none",
            "slice",
            "30us",
            "load",
            "0.7");
    Env<Map<String, Object>, Integer> env =
        (Env<Map<String, Object>, Integer>) (Env<?, ?>) Gym.make(GhostEnvs.PICK_NEXT, o);
    // FIFO through the env: keep running on slice expiry, always the head.
    Object[] fifo = play(env, 9, (obs, info) -> (int) obs.get("kind") == 1 ? 16 : 0);
    // Least attained service: the slot with the least attained time; preempt when it has less.
    Object[] las =
        play(
            env,
            9,
            (obs, info) -> {
              float[] slots = (float[]) obs.get("slots");
              boolean[] mask = (boolean[]) info.get("action_mask");
              int best = -1;
              for (int i = 0; i < 16; i++) {
                if (mask[i] && (best < 0 || slots[i * 7 + 2] < slots[best * 7 + 2])) best = i;
              }
              if ((int) obs.get("kind") == 1
                  && ((float[]) obs.get("running"))[2] <= slots[best * 7 + 2]) return 16;
              return best;
            });
    double fifoP99 = (double) ((Map<String, Object>) fifo[1]).get("response_p99_us");
    double lasP99 = (double) ((Map<String, Object>) las[1]).get("response_p99_us");
    assertTrue(lasP99 * 5 < fifoP99, "LAS p99 " + lasP99 + " us vs FIFO " + fifoP99 + " us");
    assertTrue(
        (double) las[0] > (double) fifo[0], "LAS waits less: return " + las[0] + " vs " + fifo[0]);
  }

  @Test
  @SuppressWarnings("unchecked")
  void placementRoundRobinReproducesFifoAndAllOnOneCpuIsWorse() {
    Map<String, Object> o = Map.of("workload", "mmc", "cpus", 4, "tasks", 2000, "load", "0.5");
    Env<Map<String, Object>, Integer> env =
        (Env<Map<String, Object>, Integer>) (Env<?, ?>) Gym.make(GhostEnvs.PLACEMENT, o);
    int[] next = {0};
    Object[] rr = play(env, 4, (obs, info) -> next[0]++ % 4);
    SimConfig cfg =
        new SimConfig(4, 4, Overheads.PAPER, 1_000_000, false, 3_000_000, 2000, 0, false);
    SimResult fifo =
        new Machine(cfg, Workloads.load("mmc", Map.of("load", "0.5"), 4), Policies.create("fifo"))
            .run();
    assertEquals(fifo.traceSha256(), ((Map<String, Object>) rr[1]).get("trace_sha256"));
    Object[] one = play(env, 4, (obs, info) -> 0);
    assertTrue(
        (double) one[0] < (double) rr[0] * 2,
        "one CPU for everything waits far more: " + one[0] + " vs " + rr[0]);
  }

  @Test
  @SuppressWarnings("unchecked")
  void anEpisodeWithoutDecisionsEndsAtItsFirstStep() {
    // One task at a time never leaves two waiting: PickNext is never asked.
    Env<Map<String, Object>, Integer> env =
        (Env<Map<String, Object>, Integer>)
            (Env<?, ?>)
                Gym.make(
                    GhostEnvs.PICK_NEXT,
                    Map.of("workload", "mmc", "cpus", 4, "tasks", 5, "load", "0.01"));
    Reset<Map<String, Object>> r = env.reset(1L, null);
    boolean[] mask = (boolean[]) r.info().get("action_mask");
    for (boolean b : mask) assertTrue(!b, "nothing to choose");
    Step<Map<String, Object>> s = env.step(0);
    assertTrue(s.terminated());
    assertEquals(5L, ((Map<String, Object>) s.info().get("metrics")).get("tasks_completed"));
    assertThrows(IllegalStateException.class, () -> env.step(0));
  }

  @Test
  @SuppressWarnings("unchecked")
  void policyFallbackAnswersInvalidActionsAndMustFitTheAgents() {
    // Every action invalid: the whole episode is played by the fallback policy.
    Map<String, Object> base =
        Map.of("workload", "rocksdb-shinjuku", "cpus", 2, "tasks", 1500, "overheads", "none");
    Map<String, Object> fifoOpts = new HashMap<>(base);
    Map<String, Object> randomOpts = new HashMap<>(base);
    randomOpts.put("policy_fallback", "random");
    Env<Map<String, Object>, Integer> fifo =
        (Env<Map<String, Object>, Integer>) (Env<?, ?>) Gym.make(GhostEnvs.PICK_NEXT, fifoOpts);
    Env<Map<String, Object>, Integer> random =
        (Env<Map<String, Object>, Integer>) (Env<?, ?>) Gym.make(GhostEnvs.PICK_NEXT, randomOpts);
    Object[] a = play(fifo, 3, (obs, info) -> 99);
    Object[] b = play(random, 3, (obs, info) -> 99);
    Map<String, Object> ma = (Map<String, Object>) a[1], mb = (Map<String, Object>) b[1];
    assertEquals((long) (int) a[2], ma.get("steps"));
    assertNotEquals(
        ma.get("trace_sha256"), mb.get("trace_sha256"), "random answers differ from FIFO's");
    Map<String, Object> wrong = new HashMap<>(base);
    wrong.put("policy_fallback", "shinjuku");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Gym.make(GhostEnvs.SEED_COMPAT, wrong).reset(1L, null));
    assertTrue(
        e.getMessage().contains("policy_fallback") && e.getMessage().contains("per_cpu"),
        e.getMessage());
  }

  @Test
  @SuppressWarnings("unchecked")
  void invalidActionsFallBackOrTerminateAsConfigured() {
    Env<List<Object>, Integer> masked =
        (Env<List<Object>, Integer>) (Env<?, ?>) Gym.make(GhostEnvs.SEED_COMPAT, SMALL);
    masked.reset(1L, null);
    Step<List<Object>> s = masked.step(7); // position 7 in a short queue: invalid
    assertEquals(1L, s.info().get("invalid_actions"));
    assertTrue(!s.terminated());
    Map<String, Object> o = new HashMap<>(SMALL);
    o.put("invalid_action", "terminate");
    Env<List<Object>, Integer> strict =
        (Env<List<Object>, Integer>) (Env<?, ?>) Gym.make(GhostEnvs.SEED_COMPAT, o);
    strict.reset(1L, null);
    Step<List<Object>> end = strict.step(7);
    assertTrue(end.terminated());
    assertEquals(-1.0, end.reward());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> Gym.make(GhostEnvs.SEED_COMPAT, Map.of("reward", "happiness")));
    assertTrue(
        bad.getMessage().contains("reward") && bad.getMessage().contains("wait"), bad.getMessage());
  }
}
