package dev.ghostgym.sim.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one line per finished simulation to the file named by the environment variable {@code
 * GHOSTGYM_TRACE_LOG} (nothing when it is unset): the trace hash, completed tasks, trace records
 * and simulated end time. It shows that a refactoring of the kernel model changed no run: run the
 * test suite with it before and after, and the sorted files must be equal. An environment variable
 * (not a system property) so that it reaches the test JVMs that Surefire forks.
 */
public final class TraceLog {
  private static final String FILE = System.getenv("GHOSTGYM_TRACE_LOG");

  private TraceLog() {}

  /** Records a finished run when the log is switched on. */
  public static void append(String traceSha256, long completed, long traceRecords, long endNs) {
    if (FILE == null) return;
    String line = traceSha256 + " " + completed + " " + traceRecords + " " + endNs + "\n";
    synchronized (TraceLog.class) { // runs in parallel threads of one JVM append whole lines
      try {
        Files.writeString(
            Path.of(FILE), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("GHOSTGYM_TRACE_LOG: cannot append to " + FILE, e);
      }
    }
  }
}
