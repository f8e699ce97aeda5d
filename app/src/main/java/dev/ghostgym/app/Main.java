package dev.ghostgym.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ghost-gym} command: subcommands for each job. */
@Command(name = "ghost-gym", mixinStandardHelpOptions = true, version = "ghost-gym 0.1.0",
    description = "Learn and evaluate CPU-scheduling policies for ghOSt on a simulated machine.",
    subcommands = {QuickstartCommand.class, SimulateCommand.class, EvalCommand.class, BenchCommand.class, EnvsCommand.class, CheckEnvCommand.class, ReplayCommand.class, WorkloadsCommand.class, AbiLayoutCommand.class, PoliciesCommand.class, LiveCommand.class, SeedBridgeCommand.class, TrainCommand.class, ExportCommand.class, TuneCommand.class, EvaluateCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command and returns its exit code (0 ok, 1 failure, 2 usage or input error). */
  static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof InputError || ex instanceof IllegalArgumentException
          || ex instanceof dev.ghostgym.config.ConfigError) {
        cmd.getErr().println("ghost-gym: " + ex.getMessage());
        return 2;
      }
      if (ex instanceof dev.ghostgym.learn.LearnError) {
        cmd.getErr().println("ghost-gym: " + ex.getMessage());
        return 1;
      }
      cmd.getErr().println("ghost-gym: failed: " + ex);
      ex.printStackTrace(cmd.getErr());
      return 1;
    });
    return cl.execute(args);
  }

  @Override public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (try: simulate)");
  }
}
