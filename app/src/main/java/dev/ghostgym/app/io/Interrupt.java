package dev.ghostgym.app.io;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C for long commands: the first SIGINT asks the command to stop after the work in flight (it
 * then writes what finished); a second one exits at once. Without this the JVM would die mid-write
 * and lose every finished run.
 */
public final class Interrupt implements AutoCloseable {
  private final AtomicBoolean requested = new AtomicBoolean();
  private final sun.misc.SignalHandler previous;
  private final sun.misc.Signal sigint = new sun.misc.Signal("INT");

  private Interrupt(PrintStream err) {
    sun.misc.SignalHandler prev;
    try {
      prev =
          sun.misc.Signal.handle(
              sigint,
              s -> {
                if (requested.getAndSet(true)) {
                  Runtime.getRuntime().halt(130);
                }
                err.println(
                    "\nghost-gym: interrupted; finishing the runs in flight and writing what is done "
                        + "(Ctrl-C again to quit now)");
              });
    } catch (IllegalArgumentException e) { // no SIGINT here (e.g. the JVM was started with -Xrs)
      prev = null;
    }
    previous = prev;
  }

  /** Installs the handler until {@link #close}. */
  public static Interrupt install(PrintStream err) {
    return new Interrupt(err);
  }

  public boolean requested() {
    return requested.get();
  }

  /** Lets a test (or a caller) ask for the stop a Ctrl-C would ask for. */
  public void request() {
    requested.set(true);
  }

  @Override
  public void close() {
    if (previous != null) sun.misc.Signal.handle(sigint, previous);
  }
}
