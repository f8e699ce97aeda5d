package dev.ghostgym.app;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) as the contract says: a command that can stop at a safe point (train saves a
 * checkpoint) registers a stop flag and is asked to stop; any other command prints one line and
 * exits 130 at once, its unfinished output files deleted by {@link
 * dev.ghostgym.config.AtomicFile}'s shutdown hook, so nothing half-written is left. A second Ctrl-C
 * always exits at once.
 */
final class Interrupts {
  static final int EXIT = 130;
  private static volatile AtomicBoolean cooperative;
  private static volatile boolean asked;
  private static boolean installed;

  private Interrupts() {}

  /** Installs the handler (once per JVM; the in-process tests never send signals). */
  static synchronized void install() {
    if (installed) return;
    installed = true;
    try {
      Signal.handle(new Signal("INT"), s -> onInterrupt());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // no SIGINT on this platform (or the JVM reserves it): the default behaviour stays
    }
  }

  /** A flag that the next Ctrl-C sets instead of exiting; clear it with {@link #release}. */
  static AtomicBoolean cooperate() {
    AtomicBoolean flag = new AtomicBoolean();
    cooperative = flag;
    return flag;
  }

  static void release() {
    cooperative = null;
  }

  private static void onInterrupt() {
    AtomicBoolean flag = cooperative;
    if (flag != null && !asked) {
      asked = true;
      flag.set(true);
      // progress, on stdout: stderr gets the one line that ends the command
      System.out.println(
          "interrupt: stopping at the next safe point (Ctrl-C again to quit at once)");
      return;
    }
    System.err.println("ghost-gym: interrupted; unfinished output files were not written");
    System.exit(EXIT);
  }
}
