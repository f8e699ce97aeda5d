package dev.ghostgym.gym.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The training environments charge the policy's decision cost in simulated time, as deployment
 * does: option {@code decision_cost_ns}.
 */
class DecisionCostEnvTest {
  private static Map<String, Object> options(String id, long costNs) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("workload", "rocksdb-shinjuku");
    o.put("cpus", 4);
    o.put("tasks", 600);
    o.put("load", "0.7");
    if (id.equals(GhostEnvs.PICK_NEXT)) o.put("slice", "10us");
    if (costNs >= 0) o.put("decision_cost_ns", costNs);
    return o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> episode(String id, long costNs, long seed) {
    Env<Map<String, Object>, Integer> env =
        (Env<Map<String, Object>, Integer>) (Env<?, ?>) Gym.make(id, options(id, costNs));
    Object[] r = SchedulingEnvsTest.play(env, seed, (obs, info) -> firstValid(info));
    return (Map<String, Object>) r[1];
  }

  private static int firstValid(Map<String, Object> info) {
    boolean[] m = (boolean[]) info.get("action_mask");
    for (int i = 0; i < m.length; i++) if (m[i]) return i;
    return 0;
  }

  @Test
  void theSameSeedWithAndWithoutACostGivesDifferentDeterministicTraces() {
    for (String id : new String[] {GhostEnvs.PICK_NEXT, GhostEnvs.PLACEMENT}) {
      Map<String, Object> free = episode(id, -1, 11);
      Map<String, Object> zero = episode(id, 0, 11);
      Map<String, Object> paid = episode(id, 2_000, 11);
      Map<String, Object> again = episode(id, 2_000, 11);
      assertEquals(free.get("trace_sha256"), zero.get("trace_sha256"), id + ": default is 0 ns");
      assertNotEquals(zero.get("trace_sha256"), paid.get("trace_sha256"), id);
      assertEquals(paid.get("trace_sha256"), again.get("trace_sha256"), id + ": deterministic");
      assertEquals(paid.get("response_mean_us"), again.get("response_mean_us"), id);
      assertEquals(0L, zero.get("decision_time_ns"), id);
      assertEquals(2_000L, paid.get("decision_cost_ns"), id);
    }
  }

  @Test
  void theAgentsAreChargedTheCostOncePerAnswer() {
    for (long cost : new long[] {500, 3_000}) {
      Map<String, Object> m = episode(GhostEnvs.PICK_NEXT, cost, 4);
      long decisions = (Long) m.get("decisions");
      assertTrue(decisions >= 600, "every task is picked at least once: " + decisions);
      assertEquals(cost * decisions, (Long) m.get("decision_time_ns"), "cost " + cost);
    }
    // Paying for decisions makes tasks wait for the agent: a 3 us decision at this rate is heavy.
    double cheap = (Double) episode(GhostEnvs.PICK_NEXT, 0, 4).get("response_mean_us");
    double dear = (Double) episode(GhostEnvs.PICK_NEXT, 3_000, 4).get("response_mean_us");
    assertTrue(dear > 1.2 * cheap, "mean response " + cheap + " -> " + dear);
  }

  @Test
  void aNegativeOrMalformedCostIsRefusedNamingTheOption() {
    for (Object bad : new Object[] {-1, "1us", "x"}) {
      Map<String, Object> o = options(GhostEnvs.PICK_NEXT, 0);
      o.put("decision_cost_ns", bad);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Gym.make(GhostEnvs.PICK_NEXT, o));
      assertTrue(e.getMessage().startsWith("decision_cost_ns: "), e.getMessage());
    }
  }
}
