package dev.ghostgym.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
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
      if (!node.awaitUp(workers + 1, Duration.ofSeconds(60))
          || !node.awaitWorkers(workers, Duration.ofSeconds(60))) {
        System.err.println("ClusterStepRate: " + workers + " workers did not come up within 60 s");
        System.exit(1);
      }
      Map<String, Object> options =
          Map.of("workload", "rocksdb-shinjuku", "cpus", 4, "tasks", 20_000);
      ClusterVectorEnv<Object> env =
          new ClusterVectorEnv<>(node, "ghost/SeedCompat-v0", options, envs);
      Window w = new Window(System.getenv("GHOST_GYM_WORKER_PIDS"));
      long warm = Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
      long measure = Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
      double rate =
          mode.equals("sync")
              ? stepSync(env, warm, measure, w)
              : stepAsync(env, Integer.parseInt(mode), warm, measure, w);
      Map<String, Integer> perNode = new TreeMap<>();
      for (int i = 0; i < envs; i++) {
        perNode.merge(env.nodeOf(i), 1, Integer::sum);
      }
      System.out.printf(
          Locale.ROOT,
          "workers=%d envs=%d mode=%s env-steps/s=%.0f cpu-us/env-step: %s lost=%d per-node=%s%n",
          workers,
          envs,
          mode,
          rate,
          w.cpuPerStep(),
          env.lostEpisodes(),
          perNode);
    }
  }

  private static double stepSync(ClusterVectorEnv<Object> env, long warm, long measure, Window w) {
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
        w.start();
      } else if (start != 0) {
        steps += n;
      }
    }
    w.end(steps);
    return steps / ((System.nanoTime() - start) / 1e9);
  }

  private static double stepAsync(
      ClusterVectorEnv<Object> env, int groups, long warm, long measure, Window w) {
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
        w.start();
      } else if (start != 0) {
        steps += b.size();
      }
    }
    w.end(steps);
    double rate = steps / ((System.nanoTime() - start) / 1e9);
    while (env.inFlight() > 0) {
      env.recv();
    }
    return rate;
  }

  /**
   * CPU time of the measured window per env-step: this learner JVM's and, on Linux, that of the
   * worker JVMs whose pids the script gives in GHOST_GYM_WORKER_PIDS (from /proc/PID/stat). Unlike
   * env-steps/s, it does not fall when other processes take the cores.
   */
  private static final class Window {
    private final List<String> pids;
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private long learner0;
    private Map<String, Long> threads0;
    private long[] workers0;
    private String result = "n/a";

    Window(String pidList) {
      pids = pidList == null || pidList.isBlank() ? List.of() : List.of(pidList.trim().split(","));
    }

    void start() {
      learner0 = os.getProcessCpuTime();
      threads0 = threadCpu();
      workers0 = workerCpu();
    }

    void end(long steps) {
      long process = os.getProcessCpuTime() - learner0;
      StringBuilder b =
          new StringBuilder(String.format(Locale.ROOT, "learner=%.1f", process / 1e3 / steps));
      StringJoiner byKind = new StringJoiner(", ", " (", ")").setEmptyValue("");
      for (Map.Entry<String, Long> e : threadCpu().entrySet()) {
        long used = e.getValue() - threads0.getOrDefault(e.getKey(), 0L);
        byKind.add(String.format(Locale.ROOT, "%s %.1f", e.getKey(), used / 1e3 / steps));
      }
      b.append(byKind);
      long[] w1 = workerCpu();
      for (int i = 0; i < w1.length; i++) {
        if (w1[i] >= 0 && workers0[i] >= 0) {
          b.append(
              String.format(
                  Locale.ROOT, " worker%d=%.1f", i + 1, (w1[i] - workers0[i]) / 1e3 / steps));
        }
      }
      result = b.toString();
    }

    String cpuPerStep() {
      return result;
    }

    /**
     * CPU time of this JVM's threads by kind, from /proc/self/task (Linux): the thread's name
     * without its number (main, Pekko's remote and internal dispatchers, GC and compiler threads,
     * ...). Threads that ended in the window are not counted; empty where /proc is not there.
     */
    private static Map<String, Long> threadCpu() {
      Map<String, Long> out = new TreeMap<>();
      java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
      for (java.io.File t : tasks == null ? new java.io.File[0] : tasks) {
        try {
          String name = java.nio.file.Files.readString(t.toPath().resolve("comm")).trim();
          out.merge(kind(name), ticks(t.toPath().resolve("stat")), Long::sum);
        } catch (java.io.IOException | RuntimeException e) {
          // the thread ended while being read
        }
      }
      return out;
    }

    /** Thread kinds: Linux keeps 15 characters of a name; numbers and Pekko's prefix dropped. */
    private static String kind(String name) {
      String k = name.replaceAll("[#-]?\\d+$", "");
      if (k.startsWith("ghost-gym-pekko")) return "pekko";
      if (k.startsWith("ghost-gym-sched")) return "scheduler";
      if (k.startsWith("GC Thread") || k.startsWith("G1 ") || k.equals("VM Thread")) return "GC";
      if (k.startsWith("C1 Compiler") || k.startsWith("C2 Compiler")) return "JIT";
      return k.equals("main") || k.equals("java") ? "main" : "other";
    }

    /** utime + stime of a process or thread stat file, in ns (clock ticks of 10 ms). */
    private static long ticks(java.nio.file.Path stat) throws java.io.IOException {
      String s = java.nio.file.Files.readString(stat);
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    /** utime + stime of each worker in ns (clock ticks of 10 ms); -1 where unreadable. */
    private long[] workerCpu() {
      long[] out = new long[pids.size()];
      for (int i = 0; i < out.length; i++) {
        try {
          out[i] = ticks(java.nio.file.Path.of("/proc", pids.get(i), "stat"));
        } catch (java.io.IOException | RuntimeException e) {
          out[i] = -1;
        }
      }
      return out;
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
