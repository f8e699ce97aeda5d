package dev.ghostgym.app;

import dev.ghostgym.gym.CheckReport;
import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.EnvCheckError;
import dev.ghostgym.gym.EnvChecker;
import dev.ghostgym.gym.Gym;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ghost-gym check-env ID}: Gymnasium's check_env on one environment; non-zero on failure.
 */
@Command(
    name = "check-env",
    mixinStandardHelpOptions = true,
    description =
        "Run the env checker (spaces, reset/step contracts, seeding determinism) on an environment.")
final class CheckEnvCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ID",
      description = "Environment id, e.g. ghost/SeedCompat-v0 (see `ghost-gym envs`).")
  String id;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Environment option, e.g. --set cpus=8 --set load=0.9.")
  List<String> sets = List.of();

  @Option(
      names = "--seed",
      defaultValue = "123",
      description = "Seed for the checks. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--steps",
      defaultValue = "100",
      description = "Steps per determinism run. Default: ${DEFAULT-VALUE}.")
  int steps;

  @Override
  public Integer call() {
    if (steps < 1 || steps > 10_000_000)
      throw new InputError("--steps: expected 1..10000000, got " + steps);
    Map<String, Object> options = new LinkedHashMap<>(SimulateCommand.parseSets(sets));
    Inputs.check("ID", () -> Gym.spec(id));
    // The options are checked by making and resetting the env once: a bad option is the user's
    // input,
    // not a failed check of the environment.
    Inputs.check(
        "--set",
        () -> {
          try (Env<?, ?> probe = Gym.make(id, options)) {
            probe.reset(seed, null);
          }
        });
    try (Env<?, ?> env = Gym.make(id, options)) {
      CheckReport report = EnvChecker.check(env, seed, steps);
      System.out.println(report);
      return 0;
    } catch (EnvCheckError e) {
      System.err.println("ghost-gym: check-env " + id + ": FAILED " + e.getMessage());
      return 1;
    }
  }
}
