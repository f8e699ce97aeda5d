package dev.ghostgym.cluster;

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
 * <p>{@code MODE} is {@code sync} (every step waits for every node: {@link ClusterVectorEnv#step})
 * or a number G of groups (default 2): the envs are sent as G groups with {@link
 * ClusterVectorEnv#send}, and each answer from {@link ClusterVectorEnv#recv} is acted on and sent
 * back at once, so every node has about G batches in flight and none waits for another.
 *
 * <p>Usage: {@code ClusterStepRate SEED_HOST:PORT WORKERS ENVS WARMUP_S SECONDS [MODE]}
 */
public final class ClusterStepRate {
  private ClusterStepRate() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 5 && args.length != 6) {
      System.err.println(
          "usage: ClusterStepRate SEED_HOST:PORT WORKERS ENVS WARMUP_S SECONDS [sync|GROUPS]");
      System.exit(2);
    }
    int workers = Integer.parseInt(args[1]);
    int envs = Integer.parseInt(args[2]);
    String mode = args.length == 6 ? args[5] : "2";
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
      long warm = Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
      long measure = Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
      double rate =
          mode.equals("sync")
              ? stepSync(env, warm, measure)
              : stepAsync(env, Integer.parseInt(mode), warm, measure);
      Map<String, Integer> perNode = new TreeMap<>();
      for (int i = 0; i < envs; i++) {
        perNode.merge(env.nodeOf(i), 1, Integer::sum);
      }
      System.out.printf(
          Locale.ROOT,
          "workers=%d envs=%d mode=%s env-steps/s=%.0f lost=%d per-node=%s%n",
          workers,
          envs,
          mode,
          rate,
          env.lostEpisodes(),
          perNode);
    }
  }

  private static double stepSync(ClusterVectorEnv<Object> env, long warm, long measure) {
    int n = env.numEnvs();
    List<Map<String, Object>> infos = env.resetAll(1000L).infos();
    Object[] actions = new Object[n];
    long warmEnd = System.nanoTime() + warm;
    long start = 0, end = Long.MAX_VALUE, steps = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < n; i++) {
        actions[i] = lastValid(infos.get(i));
      }
      infos = env.step(actions).infos();
      if (start == 0 && System.nanoTime() >= warmEnd) {
        start = System.nanoTime();
        end = start + measure;
      } else if (start != 0) {
        steps += n;
      }
    }
    return steps / ((System.nanoTime() - start) / 1e9);
  }

  private static double stepAsync(
      ClusterVectorEnv<Object> env, int groups, long warm, long measure) {
    int n = env.numEnvs();
    List<Map<String, Object>> infos = env.resetAll(1000L).infos();
    for (int g = 0; g < groups; g++) {
      int[] ids = new int[n];
      int[] acts = new int[n];
      int c = 0;
      for (int i = g; i < n; i += groups) {
        ids[c] = i;
        acts[c++] = lastValid(infos.get(i));
      }
      env.send(acts, ids, c);
    }
    int[] acts = new int[n];
    long warmEnd = System.nanoTime() + warm;
    long start = 0, end = Long.MAX_VALUE, steps = 0;
    while (System.nanoTime() < end) {
      ClusterBatch<Object> b = env.recv();
      for (int k = 0; k < b.size(); k++) {
        acts[k] = lastValid(b.infos().get(k));
      }
      env.send(acts, b.envIds(), b.size());
      if (start == 0 && System.nanoTime() >= warmEnd) {
        start = System.nanoTime();
        end = start + measure;
      } else if (start != 0) {
        steps += b.size();
      }
    }
    double rate = steps / ((System.nanoTime() - start) / 1e9);
    while (env.inFlight() > 0) {
      env.recv();
    }
    return rate;
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
