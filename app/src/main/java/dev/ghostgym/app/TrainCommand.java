package dev.ghostgym.app;

import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.sched.GhostEnvs;
import dev.ghostgym.learn.Dqn;
import dev.ghostgym.learn.DqnConfig;
import dev.ghostgym.learn.Ppo;
import dev.ghostgym.learn.PpoConfig;
import dev.ghostgym.learn.TrainResult;
import dev.ghostgym.learn.TrainSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ghost-gym train}: PPO or DQN on a scheduling environment, with evaluation, checkpoints, CSV and PNG. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train a scheduling policy (PPO or DQN on DJL/PyTorch, CPU, offline) on a ghost-gym environment.")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--env", paramLabel = "ID", defaultValue = "ghost/PickNext-v0",
      description = "Environment id (see `ghost-gym envs`). Default: ${DEFAULT-VALUE}.")
  String env;

  @Option(names = "--workload", paramLabel = "NAME|FILE", defaultValue = "rocksdb-shinjuku",
      description = "Workload of the environment. Default: ${DEFAULT-VALUE}.")
  String workload;

  @Option(names = "--cpus", paramLabel = "N", defaultValue = "4", description = "Enclave CPUs. Default: ${DEFAULT-VALUE}.")
  int cpus;

  @Option(names = "--algo", paramLabel = "ppo|dqn", defaultValue = "ppo", description = "Learner. Default: ${DEFAULT-VALUE}.")
  String algo;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "100000", description = "Environment steps in total. Default: ${DEFAULT-VALUE}.")
  long steps;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of training (environments, network, sampling). Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "Directory for the checkpoint (checkpoint.json, model.params), progress.csv and curve.png.")
  Path out;

  @Option(names = "--resume", description = "Continue from the checkpoint in --out (steps count from its step).")
  boolean resume;

  @Option(names = "--eval-every", paramLabel = "N", defaultValue = "20000",
      description = "Evaluate on held-out seeds and checkpoint every N steps (0: at the end only). Default: ${DEFAULT-VALUE}.")
  long evalEvery;

  @Option(names = "--eval-seeds", paramLabel = "N", defaultValue = "5",
      description = "Held-out simulation seeds for evaluation (1000001..). Default: ${DEFAULT-VALUE}.")
  int evalSeeds;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "An environment option or workload parameter (slice=30us, hint=true, load=0.7, tasks=2000, reward=wait), "
          + "or a hyper-parameter with the prefix algo. (algo.lr=0.001, algo.numEnvs=8, algo.hidden=64x64).")
  List<String> sets = List.of();

  @Override public Integer call() {
    if (cpus < 1 || cpus > 256) throw new InputError("--cpus: expected 1..256, got " + cpus);
    if (steps < 1) throw new InputError("--steps: expected a positive count, got " + steps);
    if (evalSeeds < 1) throw new InputError("--eval-seeds: expected >= 1, got " + evalSeeds);
    if (evalEvery < 0) throw new InputError("--eval-every: expected >= 0, got " + evalEvery);
    Gym.spec(env); // an unknown id fails here, listing the known ones
    Map<String, String> all = SimulateCommand.parseSets(sets);
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("workload", workload);
    options.put("cpus", cpus);
    Map<String, String> hyper = new LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (k.startsWith("algo.")) hyper.put(k.substring(5), v); else options.put(k, v);
    });
    options.putIfAbsent("tasks", 2000);
    TrainSpec spec = new TrainSpec(env, options, seed, steps, out, resume, evalEvery, TrainSpec.heldOutSeeds(evalSeeds), System.out);
    System.out.printf(Locale.ROOT, "ghost-gym train: %s on %s %s, %d steps, seed %d, threads %s -> %s%n", algo, env, options,
        steps, seed, System.getProperty("ai.djl.pytorch.num_threads", "1"), out);
    switch (algo) {
      case "ppo" -> summary(Ppo.train(PpoConfig.withOverrides(hyper), spec));
      case "dqn" -> summary(Dqn.train(DqnConfig.withOverrides(hyper), spec));
      default -> throw new InputError("--algo: expected ppo or dqn, got '" + algo + "'");
    }
    // The deployable forms and their measured decision costs (issue 13), so simulate charges them.
    if (GhostEnvs.PICK_NEXT.equals(env)) {
      var d = dev.ghostgym.learn.deploy.Distiller.Settings.DEFAULT;
      long episode = Long.parseLong(String.valueOf(options.get("tasks")));
      ExportCommand.run(out, new dev.ghostgym.learn.deploy.Distiller.Settings(d.fitSeeds(), d.checkSeeds(),
          Math.min(d.tasks(), Math.max(1000, 2 * episode)), d.maxDepth(), d.minLeaf()));
    }
    return 0;
  }

  private void summary(TrainResult r) {
    System.out.printf(Locale.ROOT, "done: %d steps, %.0f env steps/s (learning included); held-out mean response %.1f us, fifo %.1f us (%+.1f%%)%n",
        r.steps(), r.stepsPerSecond(), r.lastEvalResponseUs(), r.fifoResponseUs(),
        100 * (r.lastEvalResponseUs() / r.fifoResponseUs() - 1));
    System.out.println("  checkpoint: " + out + "  (use: ghost-gym simulate --policy model:" + out + ")");
  }
}
