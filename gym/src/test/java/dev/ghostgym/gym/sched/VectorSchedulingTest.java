package dev.ghostgym.gym.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.vector.ActorVectorEnv;
import dev.ghostgym.gym.vector.AsyncVectorEnv;
import dev.ghostgym.gym.vector.SyncVectorEnv;
import dev.ghostgym.gym.vector.VectorEnv;
import dev.ghostgym.gym.vector.VectorStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Five SeedCompat envs stepped as a batch: sync, thread-pool async and actor-backed vector envs
 * give identical results, through several autoresets (next-step mode).
 */
class VectorSchedulingTest {
  @SuppressWarnings("unchecked")
  private static List<Supplier<Env<Object, Integer>>> fns() {
    List<Supplier<Env<Object, Integer>>> fns = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      fns.add(
          () ->
              (Env<Object, Integer>)
                  (Env<?, ?>) Gym.make(GhostEnvs.SEED_COMPAT, Map.of("tasks", 60, "cpus", 2)));
    }
    return fns;
  }

  private static List<VectorStep<Object>> run(VectorEnv<Object, Integer> v) {
    List<VectorStep<Object>> out = new ArrayList<>();
    var reset = v.resetAll(100L);
    List<Map<String, Object>> infos = reset.infos();
    SplittableRandom rng = new SplittableRandom(3);
    for (int t = 0; t < 1500; t++) {
      Object[] actions = new Object[v.numEnvs()];
      for (int i = 0; i < actions.length; i++) {
        boolean[] mask = (boolean[]) infos.get(i).get("action_mask");
        boolean any = false;
        for (boolean b : mask) any |= b;
        // A finished env's next action is ignored (next-step autoreset): any value will do.
        actions[i] = any ? SchedulingEnvsTest.randomValid(infos.get(i), rng) : 0;
      }
      VectorStep<Object> s = v.step(actions);
      out.add(s);
      infos = s.infos();
    }
    v.close();
    return out;
  }

  @Test
  void syncAsyncAndActorVectorEnvsAgreeStepForStep() {
    List<VectorStep<Object>> sync = run(new SyncVectorEnv<>(fns()));
    List<VectorStep<Object>> async = run(new AsyncVectorEnv<>(fns(), 2));
    List<VectorStep<Object>> actors = run(new ActorVectorEnv<>(fns(), 3));
    long episodes =
        sync.stream()
            .mapToLong(
                s -> {
                  int d = 0;
                  for (int i = 0; i < s.size(); i++) if (s.done(i)) d++;
                  return d;
                })
            .sum();
    assertTrue(episodes >= 10, "episodes ended and autoreset: " + episodes);
    for (int t = 0; t < sync.size(); t++) {
      assertEquals(sync.get(t), async.get(t), "async, step " + t);
      assertEquals(sync.get(t), actors.get(t), "actors, step " + t);
    }
  }
}
