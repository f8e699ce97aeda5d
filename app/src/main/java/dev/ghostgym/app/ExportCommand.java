package dev.ghostgym.app;

import dev.ghostgym.gym.sched.GhostEnvs;
import dev.ghostgym.learn.Checkpoint;
import dev.ghostgym.learn.LearnError;
import dev.ghostgym.learn.deploy.Deployment;
import dev.ghostgym.learn.deploy.Distiller;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ghost-gym export DIR}: makes a trained PickNext policy deployable (train does it at the
 * end): the network as float arrays, the distilled tree, and each form's decision cost measured on
 * this machine, stored in the checkpoint so that simulations charge it.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Export a trained policy to its deployable forms (mlp arrays, distilled tree) and calibrate their decision costs.")
final class ExportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "A directory written by ghost-gym train.")
  Path dir;

  @Option(
      names = "--fit-runs",
      paramLabel = "N",
      defaultValue = "6",
      description = "Simulations whose decisions the tree is fitted to. Default: ${DEFAULT-VALUE}.")
  int fitRuns;

  @Option(
      names = "--check-runs",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "Fresh simulations to measure the tree's agreement on. Default: ${DEFAULT-VALUE}.")
  int checkRuns;

  @Option(
      names = "--tasks",
      paramLabel = "N",
      defaultValue = "4000",
      description = "Tasks per simulation. Default: ${DEFAULT-VALUE}.")
  long tasks;

  @Option(
      names = "--depth",
      paramLabel = "D",
      defaultValue = "8",
      description = "Largest tree depth. Default: ${DEFAULT-VALUE}.")
  int depth;

  @Override
  public Integer call() {
    if (fitRuns < 1 || checkRuns < 1 || tasks < 1)
      throw new InputError("--fit-runs, --check-runs, --tasks: expected positive counts");
    if (depth < 1 || depth > 20) throw new InputError("--depth: expected 1..20, got " + depth);
    Checkpoint c;
    try {
      c = Checkpoint.read(dir);
    } catch (LearnError e) {
      throw new InputError("DIR: " + e.getMessage());
    }
    if (!GhostEnvs.PICK_NEXT.equals(c.envId()))
      throw new InputError(
          "DIR: only " + GhostEnvs.PICK_NEXT + " policies deploy, got " + c.envId());
    run(dir, new Distiller.Settings(fitRuns, checkRuns, tasks, depth, 40));
    return 0;
  }

  /** Exports and prints what was measured (also called at the end of train). */
  static void run(Path dir, Distiller.Settings s) {
    long t0 = System.nanoTime();
    Deployment.Exported e = Deployment.export(dir, s);
    System.out.printf(
        Locale.ROOT,
        "export %s: decision cost per PICK (ns, measured here) %s; tree %d nodes, depth %d, "
            + "agrees with the network on %.1f%% of its decisions (%d rows fitted); %.1f s%n",
        dir,
        e.costNs(),
        e.treeNodes(),
        e.treeDepth(),
        100 * e.treeAgreement(),
        e.samples(),
        (System.nanoTime() - t0) / 1e9);
  }
}
