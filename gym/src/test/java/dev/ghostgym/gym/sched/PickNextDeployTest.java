package dev.ghostgym.gym.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What deployment relies on: the allocation-free observation equals the environment's flattened one
 * at every decision, deadline slack only with oracle_features, and domain randomisation.
 */
class PickNextDeployTest {
  @TempDir static Path dir;

  /** Requests with a 200 us deadline each (a workload file: no built-in has deadlines). */
  private static Map<String, Object> options() throws IOException {
    Path w = dir.resolve("deadlines.conf");
    Files.writeString(
        w,
        "description = \"requests with deadlines\"\nload = 0.7\nservice = \"exp(20us)\"\n"
            + "sources { req { arrival { type = poisson, load = ${load} }, deadline = \"const(200us)\", service = ${service} } }\n");
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("workload", w.toString());
    o.put("cpus", 3);
    o.put("slice", "30us");
    o.put("tasks", 400);
    return o;
  }

  @Test
  void observeIntoWritesTheFlattenedObservationAtEveryDecision() throws IOException {
    for (boolean oracle : new boolean[] {false, true}) {
      Map<String, Object> o = options();
      o.put("oracle_features", oracle);
      PickNextEnv env = new PickNextEnv(o);
      float[] buf = new float[env.observationSpace().flatDim()];
      boolean[] mask = new boolean[env.slots() + 1];
      Arrays.fill(buf, 7f); // stale values must be overwritten
      env.reset(5L, null);
      int steps = 0;
      boolean slackSeen = false;
      for (boolean done = false; !done; steps++) {
        DecisionRequest r = env.external.pending();
        env.observeInto(r, buf);
        assertArrayEquals(env.observationSpace().flatten(env.observe(r)), buf, "step " + steps);
        env.maskInto(r, mask);
        assertArrayEquals(env.mask(r), mask);
        for (int i = 0; i < env.slots(); i++)
          slackSeen |= buf[2 + TaskFeatures.TASK + i * TaskFeatures.TASK + 5] != 0;
        Step<Map<String, Object>> s = env.step(0);
        done = s.terminated() || s.truncated();
      }
      assertTrue(steps > 50, "steps " + steps);
      assertEquals(oracle, slackSeen, "deadline slack present only with oracle_features");
      assertEquals(oracle, env.oracleFeatures());
    }
  }

  @Test
  void randomisedEpisodesDrawLoadsAndServicesFromTheSeed() throws IOException {
    Map<String, Object> o = options();
    o.put("tasks", 200);
    o.put("random_load", "0.3-0.8");
    o.put("random_service", "const(10us)|const(40us)");
    Set<String> seen = new HashSet<>();
    PickNextEnv env = new PickNextEnv(o);
    for (long seed = 1; seed <= 6; seed++) {
      env.reset(seed, null);
      seen.add(
          env.machine().workload().params().get("service")
              + " "
              + env.machine().workload().params().get("load"));
    }
    assertTrue(seen.size() >= 4, "episodes differ: " + seen);
    Reset<Map<String, Object>> a = new PickNextEnv(o).reset(3L, null);
    Reset<Map<String, Object>> b = new PickNextEnv(o).reset(3L, null);
    assertEquals(a.info().get("now_ns"), b.info().get("now_ns"), "same seed, same episode");
    assertNotEquals(null, a.observation());
    o.put("random_load", "high");
    assertThrows(IllegalArgumentException.class, () -> new PickNextEnv(o));
  }
}
