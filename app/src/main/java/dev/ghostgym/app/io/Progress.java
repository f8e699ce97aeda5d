package dev.ghostgym.app.io;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar for long commands: redrawn in place on a terminal, one line per tenth of the work
 * otherwise (so logs and CI output stay readable). Thread-safe: runs finishing on worker threads
 * call {@link #step}.
 */
public final class Progress {
  private final PrintStream out;
  private final String what;
  private final long total;
  private final boolean tty;
  private final long t0 = System.nanoTime();
  private long done;
  private int lastTenth = -1;

  public Progress(PrintStream out, String what, long total) {
    this(out, what, total, System.console() != null);
  }

  Progress(PrintStream out, String what, long total, boolean tty) {
    this.out = out;
    this.what = what;
    this.total = Math.max(1, total);
    this.tty = tty;
  }

  public synchronized void step(String note) {
    done++;
    int tenth = (int) (10 * done / total);
    if (tty) {
      out.print("\r" + line(note) + "\u001b[K");
      if (done >= total) out.println();
      out.flush();
    } else if (tenth != lastTenth || done == total) {
      lastTenth = tenth;
      out.println(line(note));
    }
  }

  public synchronized long done() {
    return done;
  }

  /** Ends the bar early (Ctrl-C) so the next line starts clean. */
  public synchronized void stop() {
    if (tty && done < total) out.println();
  }

  String line(String note) {
    int width = 30;
    int filled = (int) (width * done / total);
    double secs = (System.nanoTime() - t0) / 1e9;
    double left = done == 0 ? Double.NaN : secs * (total - done) / done;
    return String.format(
        Locale.ROOT,
        "[%s%s] %d/%d %s  %s elapsed, ~%s left  %s",
        "#".repeat(filled),
        " ".repeat(width - filled),
        done,
        total,
        what,
        clock(secs),
        clock(left),
        note == null ? "" : note);
  }

  static String clock(double secs) {
    if (Double.isNaN(secs)) return "?";
    long s = Math.round(secs);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
