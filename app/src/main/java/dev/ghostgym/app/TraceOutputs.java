package dev.ghostgym.app;

import dev.ghostgym.app.report.Gantt;
import dev.ghostgym.app.trace.PerfettoTrace;
import dev.ghostgym.app.trace.ScheduleLog;
import dev.ghostgym.config.AtomicFile;
import dev.ghostgym.config.Durations;
import dev.ghostgym.sim.Machine;
import java.nio.file.Path;

/**
 * The timeline outputs of {@code simulate}: a Perfetto trace ({@code --trace}) and a per-CPU Gantt
 * chart ({@code --gantt}) of a window ({@code --window}), both from one {@link ScheduleLog}
 * attached to the machine before it runs.
 */
final class TraceOutputs {
  private final Path trace;
  private final Path gantt;
  private final long from, to;
  private ScheduleLog log;

  private TraceOutputs(Path trace, Path gantt, long from, long to) {
    this.trace = trace;
    this.gantt = gantt;
    this.from = from;
    this.to = to;
  }

  /** Null when neither output was asked for (then the machine runs without an observer). */
  static TraceOutputs of(Path trace, Path gantt, String window) {
    if (trace == null && gantt == null) {
      if (window != null) throw new InputError("--window: only with --gantt");
      return null;
    }
    long[] w = window(window);
    return new TraceOutputs(trace, gantt, w[0], w[1]);
  }

  /** {@code A..B} in durations (e.g. 0ms..5ms); the default is the whole run. */
  static long[] window(String s) {
    if (s == null) return new long[] {0, Long.MAX_VALUE};
    int dots = s.indexOf("..");
    if (dots < 0)
      throw new InputError("--window: expected FROM..TO (e.g. 0ms..5ms), got '" + s + "'");
    long a = Durations.parseNanos(s.substring(0, dots).trim(), "--window");
    long b = Durations.parseNanos(s.substring(dots + 2).trim(), "--window");
    if (a < 0 || b <= a) throw new InputError("--window: expected 0 <= FROM < TO, got '" + s + "'");
    return new long[] {a, b};
  }

  /** Records the machine's run (every CPU, an ideal global agent's extra one included). */
  void attach(Machine m) {
    log = new ScheduleLog(m.cpuCount());
    m.observe(log);
  }

  /** Writes {@code recorded} (e.g. the live agents' timeline) instead of the machine's. */
  void use(ScheduleLog recorded) {
    log = recorded;
  }

  ScheduleLog log() {
    return log;
  }

  /** Writes the outputs after the run; returns lines saying where they are. */
  String write(long endNs, String title) {
    log.finish(endNs);
    StringBuilder sb = new StringBuilder();
    if (trace != null) {
      AtomicFile.writeUnchecked(trace, out -> PerfettoTrace.write(log, title, out));
      sb.append("  Perfetto trace: ").append(trace).append(" (open in https://ui.perfetto.dev)\n");
    }
    if (gantt != null) {
      long end = Math.min(to, log.end());
      String name = gantt.getFileName().toString();
      Path dir = gantt.toAbsolutePath().getParent();
      Gantt.chart(log, from, end, "Schedule: " + title, name).save(dir);
      sb.append("  Gantt chart: ").append(dir.resolve(name + ".png")).append(" and .svg\n");
    }
    return sb.toString();
  }
}
