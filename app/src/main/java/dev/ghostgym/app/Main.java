package dev.ghostgym.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code ghost-gym} command: subcommands for each job. Exit status: 0 done, 2 bad input (one
 * line, nothing written), 1 anything else (one line and where the details are), 130 interrupted;
 * see {@link Failures} and docs/CLI-CONTRACT.md.
 */
@Command(
    name = "ghost-gym",
    mixinStandardHelpOptions = true,
    version = "ghost-gym 0.1.0",
    description = "Learn and evaluate CPU-scheduling policies for ghOSt on a simulated machine.",
    subcommands = {
      QuickstartCommand.class,
      SimulateCommand.class,
      EvalCommand.class,
      BenchCommand.class,
      EnvsCommand.class,
      CheckEnvCommand.class,
      ReplayCommand.class,
      WorkloadsCommand.class,
      AbiLayoutCommand.class,
      PoliciesCommand.class,
      LiveCommand.class,
      SeedBridgeCommand.class,
      TrainCommand.class,
      WorkerCommand.class,
      ExportCommand.class,
      TuneCommand.class,
      EvaluateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description =
          "On an internal error, print the stack trace instead of writing it to a log file.")
  boolean debug;

  public static void main(String[] args) {
    // Logging starts here, on one thread: started by Pekko's and DJL's threads at once, SLF4J
    // replayed their early calls with a three-line warning on stderr, now and then.
    org.slf4j.LoggerFactory.getILoggerFactory();
    Interrupts.install();
    System.exit(run(args));
  }

  /**
   * Runs the command and returns its exit code (0 ok, 1 failure, 2 usage or input error, 130
   * interrupted).
   */
  static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    cl.setParameterExceptionHandler((ex, a) -> Failures.usage(ex));
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> Failures.report(ex, cmd, debug));
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError | StackOverflowError e) { // Errors pass picocli's handler
      return Failures.internal(e, cl.getErr(), debug);
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required (try: simulate)");
  }
}
