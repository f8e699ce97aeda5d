package dev.ghostgym.learn;

import dev.ghostgym.gym.sched.GhostEnvs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tiny workload of the learning tests: two CPUs, 90% 50 us and 10% 2 ms jobs, 100 us slices.
 */
final class Tiny {
  private Tiny() {}

  static Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("workload", "mmc");
    o.put("service", "mix(0.9:const(50us),0.1:const(2ms))");
    o.put("load", "0.8");
    o.put("cpus", 2);
    o.put("tasks", 300);
    o.put("slice", "100us");
    o.put("overheads", "none");
    return o;
  }

  static PpoConfig ppo() {
    return new PpoConfig(
        4,
        128,
        3e-3,
        false,
        0.99,
        0.95,
        4,
        4,
        0.2,
        0.01,
        0.5,
        1.0,
        true,
        true,
        new int[] {32, 32},
        PpoConfig.NO_WARM_START,
        40_000,
        15,
        4);
  }

  static TrainSpec spec(long seed, long steps, Path out) {
    return new TrainSpec(
        GhostEnvs.PICK_NEXT,
        options(),
        seed,
        steps,
        out,
        false,
        0,
        TrainSpec.heldOutSeeds(3),
        null);
  }
}
