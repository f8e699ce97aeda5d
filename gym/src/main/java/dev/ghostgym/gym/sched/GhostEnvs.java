package dev.ghostgym.gym.sched;

import dev.ghostgym.gym.EnvSpec;
import dev.ghostgym.gym.Gym;
import java.util.Map;

/** Registers the scheduling environments under their {@code ghost/} ids. */
public final class GhostEnvs {
  public static final String SEED_COMPAT = "ghost/SeedCompat-v0";
  public static final String PICK_NEXT = "ghost/PickNext-v0";
  public static final String PLACEMENT = "ghost/Placement-v0";

  private GhostEnvs() {}

  /** Called by {@link Gym}'s registry when it is first used. */
  public static void registerAll() {
    Map<String, Object> defaults = Map.of("workload", "rocksdb-shinjuku", "cpus", 4, "tasks", 2000);
    Gym.register(EnvSpec.of(SEED_COMPAT, SeedCompatEnv::new).withDefaultOptions(defaults));
    Gym.register(EnvSpec.of(PICK_NEXT, PickNextEnv::new).withDefaultOptions(defaults));
    Gym.register(EnvSpec.of(PLACEMENT, PlacementEnv::new).withDefaultOptions(defaults));
  }
}
