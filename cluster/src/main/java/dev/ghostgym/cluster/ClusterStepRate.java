package dev.ghostgym.cluster;

import dev.ghostgym.gym.vector.VectorReset;
import dev.ghostgym.gym.vector.VectorStep;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures env-steps/s of a {@link ClusterVectorEnv} from a learner JVM (issue 17's 1-worker vs
 * 2-worker comparison; cluster/scripts/worker-scaling.sh starts the workers). The learner holds no
 * envs; it waits until {@code workers} workers are up, resets {@code envs} ghost/SeedCompat-v0 envs
 * (rocksdb-shinjuku, 4 CPUs) and steps them with FIFO's action (the last valid position) for {@code
 * warmup} then {@code seconds} seconds, and prints the rate of the measured part.
 *
 * <p>Usage: {@code ClusterStepRate SEED_HOST:PORT WORKERS ENVS WARMUP_S SECONDS}
 */
public final class ClusterStepRate {
  private ClusterStepRate() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 5) {
      System.err.println("usage: ClusterStepRate SEED_HOST:PORT WORKERS ENVS WARMUP_S SECONDS");
      System.exit(2);
    }
    int workers = Integer.parseInt(args[1]);
    int envs = Integer.parseInt(args[2]);
    ClusterSettings s =
        ClusterSettings.load()
            .withPort(0)
            .withSeedNodes(List.of(args[0]))
            .withRoles(List.of(ClusterSettings.LEARNER));
    try (EnvNode node = EnvNode.start(s)) {
      if (!node.awaitUp(workers + 1, Duration.ofSeconds(60))) {
        System.err.println("ClusterStepRate: " + workers + " workers did not come up within 60 s");
        System.exit(1);
      }
      Map<String, Object> options =
          Map.of("workload", "rocksdb-shinjuku", "cpus", 4, "tasks", 20_000);
      ClusterVectorEnv<Object> env =
          new ClusterVectorEnv<>(node, "ghost/SeedCompat-v0", options, envs);
      VectorReset<Object> r = env.resetAll(1000L);
      List<Map<String, Object>> infos = r.infos();
      Object[] actions = new Object[envs];
      long warmEnd = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
      long start = 0;
      long steps = 0;
      long end = Long.MAX_VALUE;
      while (System.nanoTime() < end) {
        for (int i = 0; i < envs; i++) {
          actions[i] = lastValid(infos.get(i));
        }
        VectorStep<Object> st = env.step(actions);
        infos = st.infos();
        if (start == 0 && System.nanoTime() >= warmEnd) {
          start = System.nanoTime();
          end = start + Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
        } else if (start != 0) {
          steps += envs;
        }
      }
      double rate = steps / ((System.nanoTime() - start) / 1e9);
      Map<String, Integer> perNode = new TreeMap<>();
      for (int i = 0; i < envs; i++) {
        perNode.merge(env.nodeOf(i), 1, Integer::sum);
      }
      System.out.printf(
          Locale.ROOT,
          "workers=%d envs=%d env-steps/s=%.0f lost=%d per-node=%s%n",
          workers,
          envs,
          rate,
          env.lostEpisodes(),
          perNode);
    }
  }

  private static int lastValid(Map<String, Object> info) {
    boolean[] m = (boolean[]) info.get("action_mask");
    if (m == null) {
      return 0;
    }
    for (int i = m.length - 1; i >= 0; i--) {
      if (m[i]) {
        return i;
      }
    }
    return 0;
  }
}
