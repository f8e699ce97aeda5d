package dev.ghostgym.gym.sched;

import dev.ghostgym.gym.EnvSpec;
import dev.ghostgym.gym.Gym;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Registers the scheduling environments under their {@code ghost/} ids. */
public final class GhostEnvs {
  public static final String SEED_COMPAT = "ghost/SeedCompat-v0";
  public static final String PICK_NEXT = "ghost/PickNext-v0";
  public static final String PLACEMENT = "ghost/Placement-v0";

  /**
   * Every option name a scheduling environment reads itself (the rest of an options map are
   * workload parameters): what a run outside an environment (evaluation, distillation) must not
   * pass to the workload.
   */
  public static final Set<String> ENV_OPTIONS = envOptions();

  private GhostEnvs() {}

  private static Set<String> envOptions() {
    Set<String> s = new TreeSet<>(EnvOptions.COMMON);
    s.addAll(PickNextEnv.OWN);
    s.addAll(PlacementEnv.OWN);
    s.addAll(SeedCompatEnv.OWN);
    return Set.copyOf(s);
  }

  /** Called by {@link Gym}'s registry when it is first used. */
  public static void registerAll() {
    Map<String, Object> defaults = Map.of("workload", "rocksdb-shinjuku", "cpus", 4, "tasks", 2000);
    Gym.register(EnvSpec.of(SEED_COMPAT, SeedCompatEnv::new).withDefaultOptions(defaults));
    Gym.register(EnvSpec.of(PICK_NEXT, PickNextEnv::new).withDefaultOptions(defaults));
    Gym.register(EnvSpec.of(PLACEMENT, PlacementEnv::new).withDefaultOptions(defaults));
  }
}
