package dev.ghostgym.app;

import dev.ghostgym.config.ConfigError;
import dev.ghostgym.learn.LearnError;
import dev.ghostgym.learn.TrainStopped;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine;

/**
 * How a failed command is reported: the one place that maps an exception to an exit status and a
 * single line on stderr. Input errors (exit 2) are {@link InputError}, {@link ConfigError} and
 * picocli's parse errors; a failure the user can act on without a stack trace (an I/O error, a
 * missing PyTorch engine, a run stopped by the simulator's safety limits, memory) is one line, exit
 * 1; any other exception is a bug: one line, exit 1, with the stack trace written to a log file
 * whose path the line gives, or printed when {@code --debug} is given.
 */
final class Failures {
  private Failures() {}

  /**
   * A picocli parse error (unknown option, a non-numeric number): one line and a pointer to --help.
   */
  static int usage(CommandLine.ParameterException ex) {
    CommandLine cmd = ex.getCommandLine();
    String msg = String.valueOf(ex.getMessage()).lines().findFirst().orElse("");
    cmd.getErr()
        .println(
            "ghost-gym: " + msg + " (see: " + cmd.getCommandSpec().qualifiedName() + " --help)");
    return 2;
  }

  static int report(Exception ex, CommandLine cmd, boolean debug) {
    PrintWriter err = cmd.getErr();
    if (ex instanceof InputError || ex instanceof ConfigError) {
      err.println("ghost-gym: " + oneLine(ex.getMessage()));
      return 2;
    }
    if (ex instanceof TrainStopped) {
      err.println("ghost-gym: " + oneLine(ex.getMessage()));
      return Interrupts.EXIT;
    }
    if (ex instanceof LearnError
        || ex instanceof RunStoppedError
        || ex instanceof UncheckedIOException
        || ex instanceof IOException) {
      err.println("ghost-gym: " + oneLine(ex.getMessage()));
      if (debug) ex.printStackTrace(err);
      return 1;
    }
    return internal(ex, err, debug);
  }

  /** An error nobody planned for (a bug, or memory): where the details are is part of the line. */
  static int internal(Throwable ex, PrintWriter err, boolean debug) {
    Throwable root = ex;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    if (root instanceof OutOfMemoryError) {
      err.println(
          "ghost-gym: out of memory (heap limit "
              + Runtime.getRuntime().maxMemory() / (1 << 20)
              + " MiB): shorten the run (--tasks, --duration) or raise the limit, e.g. GHOST_GYM_JAVA_OPTS=-Xmx8g");
      return 1;
    }
    if (debug) {
      err.println("ghost-gym: internal error: " + oneLine(String.valueOf(ex)));
      ex.printStackTrace(err);
      return 1;
    }
    String where;
    try {
      Path log =
          Files.createTempFile(
              "ghost-gym-error-"
                  + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                  + "-",
              ".log");
      StringWriter trace = new StringWriter();
      ex.printStackTrace(new PrintWriter(trace));
      Files.writeString(log, trace.toString());
      where = "stack trace in " + log;
    } catch (IOException | RuntimeException e) {
      where = "run again with --debug for the stack trace";
    }
    err.println("ghost-gym: internal error: " + oneLine(String.valueOf(ex)) + " (" + where + ")");
    return 1;
  }

  static String oneLine(String s) {
    return String.valueOf(s).lines().findFirst().orElse("");
  }
}
