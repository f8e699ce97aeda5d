package dev.ghostgym.app.report;

import dev.ghostgym.app.trace.ScheduleLog;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A per-CPU Gantt chart of a window of a run: one lane per CPU, a bar for every stretch a task, the
 * CPU's agent or a CFS task held it. With few tasks in the window each task gets its own colour
 * (and its pid written on its bars); with many, the colour is the task's class.
 */
public final class Gantt {
  /** One stretch of a CPU. */
  public record Segment(int cpu, long start, long end, int pid, String kind, String label) {}

  static final int MAX_TASK_SERIES = 12;
  static final Color AGENT = new Color(0xD62728), CFS = new Color(0x7F7F7F);

  /** Task colours, none of them the agent's red or CFS's grey. */
  static final Color[] PALETTE = {
    new Color(0x1F77B4),
    new Color(0xFF7F0E),
    new Color(0x2CA02C),
    new Color(0x9467BD),
    new Color(0x8C564B),
    new Color(0xE377C2),
    new Color(0xBCBD22),
    new Color(0x17BECF),
    new Color(0xAEC7E8),
    new Color(0xFFBB78),
    new Color(0x98DF8A),
    new Color(0xC5B0D5),
    new Color(0xC49C94)
  };

  static final int MAX_LABELS = 80;

  private Gantt() {}

  /** The stretches of [from, to) in time order per CPU (idle left out). */
  public static List<Segment> segments(ScheduleLog log, long from, long to) {
    List<Segment> out = new ArrayList<>();
    for (int cpu = 0; cpu < log.cpus(); cpu++) {
      List<ScheduleLog.Switch> sw = log.switches(cpu);
      for (int i = 0; i < sw.size(); i++) {
        ScheduleLog.Switch s = sw.get(i);
        long end = i + 1 < sw.size() ? sw.get(i + 1).time() : log.end();
        long a = Math.max(s.time(), from), b = Math.min(end, to);
        if (s.nextPid() == 0 || b <= a) continue;
        int pid = s.nextPid();
        String kind, label;
        if (pid > ScheduleLog.AGENT_PROCESS) {
          kind = "agent";
          label = "agent";
        } else {
          ScheduleLog.Task t = log.tasks().get(pid);
          String cls = t == null ? "task" : t.className();
          kind = s.nextCfs() ? "CFS" : cls;
          label = cls + "-" + pid;
        }
        out.add(new Segment(cpu, a, b, pid, kind, label));
      }
    }
    return out;
  }

  public static Figure chart(ScheduleLog log, long from, long to, String title, String name) {
    List<Segment> segs = segments(log, from, to);
    long distinctTasks =
        segs.stream()
            .filter(s -> !s.kind().equals("agent"))
            .mapToInt(Segment::pid)
            .distinct()
            .count();
    boolean perTask = distinctTasks <= MAX_TASK_SERIES;
    Map<String, List<Segment>> series = new LinkedHashMap<>();
    series.put("agent", new ArrayList<>());
    series.put("CFS", new ArrayList<>());
    for (Segment s : segs) {
      String key =
          s.kind().equals("agent") || s.kind().equals("CFS")
              ? s.kind()
              : perTask ? s.label() : s.kind();
      series.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
    }
    int lanes = log.cpus();
    int height = Math.max(300, 120 + 60 * lanes);
    XYChart c =
        new XYChartBuilder()
            .width(1200)
            .height(height)
            .title(title)
            .xAxisTitle("time (us from " + us(from) + " us)")
            .yAxisTitle("CPU")
            .build();
    Plots.style(c.getStyler());
    c.getStyler().setYAxisMin(-0.6).setYAxisMax(lanes - 0.4);
    c.getStyler().setYAxisDecimalPattern("0");
    c.getStyler().setXAxisMin(0.0).setXAxisMax((to - from) / 1e3);
    float width = (float) Math.max(6, Math.min(34, 0.55 * (height - 120) / lanes));
    int colour = 0;
    for (var e : series.entrySet()) {
      List<Segment> list = e.getValue();
      if (list.isEmpty()) continue;
      Color col =
          e.getKey().equals("agent")
              ? AGENT
              : e.getKey().equals("CFS") ? CFS : PALETTE[colour++ % PALETTE.length];
      addBars(c, e.getKey(), list, from, width, col);
    }
    if (perTask) addPidLabels(c, segs, from, to);
    return new Figure(
        name,
        "Which task ran on which CPU from "
            + us(from)
            + " to "
            + us(to)
            + " us: task bars (pid written on the wide ones), the CPU's ghOSt agent in red, CFS tasks in grey, idle blank.",
        c);
  }

  /** One series of bars (NaN-separated lines) plus its thin legend twin. */
  private static void addBars(
      XYChart c, String name, List<Segment> list, long from, float width, Color col) {
    double[] x = new double[list.size() * 3], y = new double[list.size() * 3];
    for (int i = 0; i < list.size(); i++) {
      Segment s = list.get(i);
      x[3 * i] = (s.start() - from) / 1e3;
      x[3 * i + 1] = (s.end() - from) / 1e3;
      x[3 * i + 2] = Double.NaN; // a gap: XChart breaks the line at NaN
      y[3 * i] = y[3 * i + 1] = s.cpu();
      y[3 * i + 2] = Double.NaN;
    }
    XYSeries xs = c.addSeries(name, x, y);
    xs.setMarker(SeriesMarkers.NONE);
    xs.setLineStyle(new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
    xs.setLineColor(col);
    xs.setShowInLegend(false);
    // The legend draws a series with its own stroke; bars this thick would overlap its rows, so
    // a thin twin with no points stands in for each series there.
    XYSeries key = c.addSeries(name + " ", new double[] {Double.NaN}, new double[] {Double.NaN});
    key.setMarker(SeriesMarkers.NONE);
    key.setLineStyle(new BasicStroke(6f));
    key.setLineColor(col);
  }

  /** The pid written on each task bar wide enough to hold it, at most {@link #MAX_LABELS}. */
  private static void addPidLabels(XYChart c, List<Segment> segs, long from, long to) {
    int labels = 0;
    double span = (to - from) / 1e3;
    for (Segment s : segs) {
      if (s.kind().equals("agent") || labels >= MAX_LABELS) continue;
      if ((s.end() - s.start()) / 1e3 < span / 40) continue; // too narrow to write on
      c.addAnnotation(
          new AnnotationText(
              String.valueOf(s.pid()),
              ((s.start() + s.end()) / 2.0 - from) / 1e3,
              s.cpu() + 0.32,
              false));
      labels++;
    }
  }

  private static String us(long ns) {
    return String.format(Locale.ROOT, "%.0f", ns / 1e3);
  }
}
