package dev.ghostgym.app;

import dev.ghostgym.cluster.ClusterSettings;
import dev.ghostgym.cluster.ClusterVectorEnv;
import dev.ghostgym.cluster.EnvNode;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.sched.GhostEnvs;
import dev.ghostgym.learn.Checkpoint;
import dev.ghostgym.learn.Cloning;
import dev.ghostgym.learn.Dqn;
import dev.ghostgym.learn.DqnConfig;
import dev.ghostgym.learn.LearnError;
import dev.ghostgym.learn.Ppo;
import dev.ghostgym.learn.PpoConfig;
import dev.ghostgym.learn.TrainResult;
import dev.ghostgym.learn.TrainSpec;
import dev.ghostgym.learn.deploy.Distiller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ghost-gym train}: PPO or DQN on a scheduling environment, with evaluation, checkpoints,
 * CSV and PNG.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Train a scheduling policy (PPO or DQN on DJL/PyTorch, CPU, offline) on a ghost-gym environment.")
final class TrainCommand implements Callable<Integer> {
  @Option(
      names = "--env",
      paramLabel = "ID",
      defaultValue = "ghost/PickNext-v0",
      description = "Environment id (see `ghost-gym envs`). Default: ${DEFAULT-VALUE}.")
  String env;

  @Option(
      names = "--workload",
      paramLabel = "NAME|FILE",
      defaultValue = "rocksdb-shinjuku",
      description = "Workload of the environment. Default: ${DEFAULT-VALUE}.")
  String workload;

  @Option(
      names = "--cpus",
      paramLabel = "N",
      defaultValue = "4",
      description = "Enclave CPUs. Default: ${DEFAULT-VALUE}.")
  int cpus;

  @Option(
      names = "--algo",
      paramLabel = "ppo|dqn",
      defaultValue = "ppo",
      description = "Learner. Default: ${DEFAULT-VALUE}.")
  String algo;

  @Option(
      names = "--steps",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Environment steps in total. Default: ${DEFAULT-VALUE}.")
  long steps;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description =
          "Seed of training (environments, network, sampling). Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      required = true,
      description =
          "Directory for the checkpoint (checkpoint.json, model.params), progress.csv and curve.png.")
  Path out;

  @Option(
      names = "--resume",
      description =
          "Continue the run in --out from its checkpoint (same seed and algorithm; "
              + "the log is trimmed back to the checkpoint's step and the run continues as if never stopped).")
  boolean resume;

  @Option(
      names = "--force",
      description =
          "Start a new run in a non-empty --out, replacing its checkpoint, log and curve.")
  boolean force;

  @Option(
      names = "--eval-every",
      paramLabel = "N",
      defaultValue = "20000",
      description =
          "Evaluate on held-out seeds and checkpoint every N steps (0: at the end only). Default: ${DEFAULT-VALUE}.")
  long evalEvery;

  @Option(
      names = "--eval-seeds",
      paramLabel = "N",
      defaultValue = "5",
      description =
          "Held-out simulation seeds for evaluation (1000001..). Default: ${DEFAULT-VALUE}.")
  int evalSeeds;

  @Option(
      names = "--warm-start",
      paramLabel = "POLICY",
      description =
          "PPO only: first fit the actor to a heuristic's choices (behaviour cloning, then one DAgger round), "
              + "e.g. las@quantum=10us with --set slice=10us; --set algo.warmStartDecisions=N, algo.warmStartEpochs=N. "
              + "See docs/LEARNING.md.")
  String warmStart;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "An environment option or workload parameter (slice=30us, hint=true, load=0.7, tasks=2000, reward=wait), "
              + "or a hyper-parameter with the prefix algo. (algo.lr=0.001, algo.numEnvs=8, algo.hidden=64x64).")
  List<String> sets = List.of();

  @Option(
      names = "--cluster",
      description =
          "Train with the environments on a Pekko cluster of `ghost-gym worker` nodes "
              + "(evaluation stays local); needs --seed-nodes. See docs/SCALE.md.")
  boolean cluster;

  @Option(
      names = "--seed-nodes",
      paramLabel = "HOST:PORT,...",
      description = "With --cluster: worker nodes to join.")
  String seedNodes;

  @Option(
      names = "--cluster-port",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "With --cluster: this learner's cluster port (0: a free one). Default: ${DEFAULT-VALUE}.")
  int clusterPort;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description =
          "With --cluster: start once N workers host environments (their shard regions are "
              + "registered). Default: 1.")
  Integer workers;

  @Option(
      names = "--worker-wait",
      paramLabel = "SECONDS",
      description =
          "With --cluster: give up (exit 1, nothing written) if the workers are not there after "
              + "this long. Default: 60.")
  Long workerWait;

  @Option(
      names = "--rollout-groups",
      paramLabel = "G",
      description =
          "Roll out the envs in G groups, one forward pass each: on the cluster a group steps "
              + "while the learner acts on another. 1..numEnvs; the same G gives the same run "
              + "locally and on the cluster. Default: 2 with --cluster, else 1.")
  Integer rolloutGroups;

  @Override
  public Integer call() {
    checkFlags();
    Inputs.check("--env", () -> Gym.spec(env)); // an unknown id fails here, listing the known ones
    if (!env.equals(GhostEnvs.PICK_NEXT))
      throw new InputError("--env " + env + ": " + NOT_TRAINABLE.get(env));
    Map<String, String> all = SimulateCommand.parseSets(sets);
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("workload", workload);
    options.put("cpus", cpus);
    Map<String, String> hyper = new LinkedHashMap<>();
    all.forEach(
        (k, v) -> {
          if (k.startsWith("algo.")) hyper.put(k.substring(5), v);
          else options.put(k, v);
        });
    options.putIfAbsent("tasks", 2000);
    Object config = config(options, hyper);
    if (!cluster && seedNodes != null) throw new InputError("--seed-nodes: only with --cluster");
    if (cluster && (seedNodes == null || seedNodes.isBlank()))
      throw new InputError("--seed-nodes: required with --cluster (HOST:PORT,...)");
    ClusterSettings clusterSettings =
        cluster ? WorkerCommand.learnerSettings(seedNodes, clusterPort) : null;
    int groups = checkClusterFlags(config);
    checkOut();
    EnvNode node = cluster ? joinWorkers(clusterSettings) : null;
    if (force) clearRun();
    AtomicBoolean stop = Interrupts.cooperate();
    TrainSpec spec = trainSpec(options, stop).withRolloutGroups(groups);
    List<ClusterVectorEnv<?>> made = new java.util.ArrayList<>();
    if (node != null) {
      spec =
          spec.withVectorEnvs(
              n -> {
                ClusterVectorEnv<Map<String, Object>> v =
                    new ClusterVectorEnv<>(node, env, options, n);
                made.add(v);
                return v;
              });
    }
    System.out.printf(
        Locale.ROOT,
        "ghost-gym train: %s on %s %s, %d steps, seed %d, threads %s -> %s%n",
        algo,
        env,
        options,
        steps,
        seed,
        System.getProperty("ai.djl.pytorch.num_threads", "1"),
        out);
    try {
      summary(
          config instanceof PpoConfig p ? Ppo.train(p, spec) : Dqn.train((DqnConfig) config, spec));
    } finally {
      Interrupts.release();
      if (node != null) {
        printClusterEnvs(made);
        node.close();
      }
    }
    // The deployable forms and their measured decision costs (issue 13), so simulate charges them.
    exportDeployables(options);
    return 0;
  }

  /** --workers, --worker-wait and --rollout-groups; the rollout's groups. */
  private int checkClusterFlags(Object config) {
    if (!cluster && workers != null) throw new InputError("--workers: only with --cluster");
    if (!cluster && workerWait != null) throw new InputError("--worker-wait: only with --cluster");
    if (workers != null && workers < 1)
      throw new InputError("--workers: expected >= 1, got " + workers);
    if (workerWait != null && workerWait < 1)
      throw new InputError("--worker-wait: expected >= 1 (seconds), got " + workerWait);
    WorkerCommand.checkWorkerWaitAtMost(workerWait);
    int numEnvs = config instanceof PpoConfig p ? p.numEnvs() : ((DqnConfig) config).numEnvs();
    int g = rolloutGroups != null ? rolloutGroups : cluster ? Math.min(2, numEnvs) : 1;
    if (g < 1 || g > numEnvs)
      throw new InputError(
          "--rollout-groups: expected 1.." + numEnvs + " (algo.numEnvs), got " + g);
    return g;
  }

  /** Joins the cluster as a learner and waits for the workers; exit 1 if they do not come. */
  private EnvNode joinWorkers(ClusterSettings settings) {
    int n = workers == null ? 1 : workers;
    long wait = workerWait == null ? 60 : workerWait;
    EnvNode node = EnvNode.start(settings);
    System.out.printf(
        Locale.ROOT,
        "ghost-gym train: learner %s joins %s, waiting for %d worker(s)%n",
        node.address(),
        settings.seedNodes(),
        n);
    boolean ready;
    try {
      ready = node.awaitWorkers(n, java.time.Duration.ofSeconds(wait));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ready = false;
    }
    if (!ready) {
      node.close();
      throw new RunStoppedError(
          "--workers "
              + n
              + ": not that many workers joined "
              + settings.seedNodes()
              + " within --worker-wait "
              + wait
              + " s (is `ghost-gym worker` running there?); nothing was written");
    }
    return node;
  }

  /** The learner's hyper-parameters (and --warm-start's teacher), options checked by a reset. */
  private Object config(Map<String, Object> options, Map<String, String> hyper) {
    if (warmStart != null) {
      if (!algo.equals("ppo")) throw new InputError("--warm-start: only with --algo ppo");
      if (warmStart.isBlank())
        throw new InputError("--warm-start: expected a heuristic policy (e.g. las), got ''");
      hyper.put("warmStart", warmStart.trim());
    }
    Object config =
        Inputs.parse(
            "--set algo.",
            () ->
                algo.equals("ppo")
                    ? PpoConfig.withOverrides(hyper)
                    : DqnConfig.withOverrides(hyper));
    Inputs.check(
        "--set",
        () -> { // every option and workload parameter, now, not after the first update
          try (var e = Gym.make(env, options)) {
            e.reset(seed, null);
          }
        });
    if (config instanceof PpoConfig p && p.warmStarts())
      Inputs.check("--warm-start", () -> Cloning.teacher(p.warmStart(), options, seed));
    return config;
  }

  /** The flag checks that need nothing but the flags themselves. */
  private void checkFlags() {
    if (cpus < 1 || cpus > 256) throw new InputError("--cpus: expected 1..256, got " + cpus);
    if (steps < 1) throw new InputError("--steps: expected a positive count, got " + steps);
    if (evalSeeds < 1 || evalSeeds > 1000)
      throw new InputError("--eval-seeds: expected 1..1000, got " + evalSeeds);
    if (evalEvery < 0) throw new InputError("--eval-every: expected >= 0, got " + evalEvery);
    if (!algo.equals("ppo") && !algo.equals("dqn"))
      throw new InputError("--algo: expected ppo or dqn, got '" + algo + "'");
    if (resume && force)
      throw new InputError("--resume and --force: give one (continue the run, or replace it)");
  }

  private TrainSpec trainSpec(Map<String, Object> options, AtomicBoolean stop) {
    return new TrainSpec(
        env,
        options,
        seed,
        steps,
        out,
        resume,
        evalEvery,
        TrainSpec.heldOutSeeds(evalSeeds),
        System.out,
        stop::get);
  }

  private static void printClusterEnvs(List<ClusterVectorEnv<?>> made) {
    for (ClusterVectorEnv<?> v : made) {
      Map<String, Integer> perNode = new java.util.TreeMap<>();
      for (int i = 0; i < v.numEnvs(); i++)
        perNode.merge(String.valueOf(v.nodeOf(i)), 1, Integer::sum);
      System.out.println(
          "  cluster envs per node: " + perNode + ", episodes lost to faults: " + v.lostEpisodes());
    }
  }

  private void exportDeployables(Map<String, Object> options) {
    if (GhostEnvs.PICK_NEXT.equals(env)) {
      var d = Distiller.Settings.DEFAULT;
      long episode = Long.parseLong(String.valueOf(options.get("tasks")));
      ExportCommand.run(
          out,
          new Distiller.Settings(
              d.fitSeeds(),
              d.checkSeeds(),
              Math.min(d.tasks(), Math.max(1000, 2 * episode)),
              d.maxDepth(),
              d.minLeaf()));
    }
  }

  /**
   * Why an environment cannot be trained by this command (it is checked before anything starts).
   */
  private static final Map<String, String> NOT_TRAINABLE =
      Map.of(
          GhostEnvs.SEED_COMPAT,
              "not trainable here: its observation is SEED's tuple of events, not the dictionary "
                  + "the learners flatten, and its policies are SEED's (served by seed-bridge), not ghost-gym policies; train on "
                  + GhostEnvs.PICK_NEXT,
          GhostEnvs.PLACEMENT,
              "not trainable here: a learned policy answers PICK and SLICE questions only, so a "
                  + "placement policy could be trained but never deployed (simulate --policy model:DIR); train on "
                  + GhostEnvs.PICK_NEXT);

  /**
   * --force: the old run's files go before the new run starts, so that the directory never mixes
   * the old checkpoint with the new run's log. Other files in the directory are left alone.
   */
  private void clearRun() {
    try (var entries =
        Files.exists(out) ? Files.list(out) : java.util.stream.Stream.<Path>empty()) {
      for (Path p : entries.toList()) {
        String n = p.getFileName().toString();
        if (n.equals(Checkpoint.META)
            || n.equals(Checkpoint.PARAMS)
            || n.equals("progress.csv")
            || n.equals("curve.png")
            || n.matches("state-[0-9]+\\.bin")) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "--force " + out + ": cannot remove the old run (" + e.getMessage() + ")", e);
    }
  }

  /**
   * --out: refuse to overwrite a run unless told; --resume needs a run to continue. Nothing is
   * created here.
   */
  private void checkOut() {
    if (Files.exists(out) && !Files.isDirectory(out))
      throw new InputError("--out " + out + ": exists and is not a directory");
    boolean nonEmpty;
    try (var entries =
        Files.exists(out) ? Files.list(out) : java.util.stream.Stream.<Path>empty()) {
      nonEmpty = entries.findAny().isPresent();
    } catch (IOException | UncheckedIOException e) {
      throw new InputError("--out " + out + ": cannot be read (" + e.getMessage() + ")");
    }
    Path parent = out.toAbsolutePath().getParent();
    if (!Files.exists(out)
        && (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent))) {
      throw new InputError(
          "--out " + out + ": its directory " + parent + " does not exist or is not writable");
    }
    if (resume) {
      if (!Files.isRegularFile(out.resolve(Checkpoint.META))) {
        throw new InputError(
            "--resume: nothing to resume in "
                + out
                + " (no "
                + Checkpoint.META
                + "; start a run without --resume)");
      }
      if (!Files.isRegularFile(out.resolve(Checkpoint.PARAMS))) {
        throw new InputError(
            "--resume: "
                + out
                + " has no "
                + Checkpoint.PARAMS
                + " (the network's parameters; copy the whole run directory)");
      }
      Checkpoint c;
      try {
        c = Checkpoint.read(out);
      } catch (LearnError e) {
        throw new InputError("--resume: " + e.getMessage());
      }
      if (!c.algo().equals(algo))
        throw new InputError("--algo " + algo + ": the run in " + out + " is " + c.algo());
      if (!c.envId().equals(env))
        throw new InputError("--env " + env + ": the run in " + out + " is on " + c.envId());
      if (c.seed() != seed)
        throw new InputError("--seed " + seed + ": the run in " + out + " has seed " + c.seed());
      if (c.steps() >= steps) {
        throw new InputError(
            "--steps "
                + steps
                + ": the run in "
                + out
                + " is already at step "
                + c.steps()
                + "; give more to continue");
      }
      return;
    }
    if (nonEmpty && !force) {
      throw new InputError(
          "--out "
              + out
              + ": not empty"
              + (Checkpoint.exists(out) ? " (it holds a run)" : "")
              + "; continue it with --resume, replace it with --force, or choose another directory");
    }
  }

  private void summary(TrainResult r) {
    System.out.printf(
        Locale.ROOT,
        "done: %d steps, %.0f env steps/s (learning included); held-out mean response %.1f us, fifo %.1f us (%+.1f%%)%n",
        r.steps(),
        r.stepsPerSecond(),
        r.lastEvalResponseUs(),
        r.fifoResponseUs(),
        100 * (r.lastEvalResponseUs() / r.fifoResponseUs() - 1));
    System.out.println(
        "  checkpoint: " + out + "  (use: ghost-gym simulate --policy model:" + out + ")");
  }
}
