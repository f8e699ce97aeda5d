package dev.ghostgym.app.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The learning curve of a training run, read from its {@code progress.csv} (written by {@code
 * ghost-gym train}): episode return on the left axis, held-out mean response of the learned policy
 * and of FIFO on the right.
 */
public final class LearningCurve {
  private LearningCurve() {}

  public static Figure of(Path progressCsv, String name) {
    List<String> lines;
    try {
      lines = Files.readAllLines(progressCsv);
    } catch (IOException e) {
      throw new UncheckedIOException(progressCsv + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (lines.isEmpty()) throw new IllegalArgumentException(progressCsv + ": empty training log");
    List<String> header = List.of(lines.get(0).split(","));
    int step = col(header, "step", progressCsv), ret = col(header, "episode_return", progressCsv);
    int eval = header.indexOf("eval_response_us"), fifo = header.indexOf("fifo_response_us");
    List<Double> xs = new ArrayList<>(),
        rs = new ArrayList<>(),
        ex = new ArrayList<>(),
        es = new ArrayList<>(),
        fs = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      double s = parse(f, step);
      if (!Double.isNaN(parse(f, ret))) {
        xs.add(s);
        rs.add(parse(f, ret));
      }
      if (eval >= 0 && !Double.isNaN(parse(f, eval))) {
        ex.add(s);
        es.add(parse(f, eval));
        fs.add(fifo >= 0 ? parse(f, fifo) : Double.NaN);
      }
    }
    XYChart c =
        new XYChartBuilder()
            .width(Plots.W)
            .height(Plots.H)
            .title("Learning curve")
            .xAxisTitle("environment steps")
            .yAxisTitle("episode return")
            .build();
    Plots.style(c.getStyler());
    c.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    c.setYAxisGroupTitle(1, "held-out mean response (us)");
    if (!xs.isEmpty()) c.addSeries("episode return", xs, rs).setMarker(SeriesMarkers.NONE);
    if (!ex.isEmpty()) {
      c.addSeries("learned: mean response", ex, es).setYAxisGroup(1);
      if (fs.stream().anyMatch(v -> !Double.isNaN(v)))
        c.addSeries("fifo: mean response", ex, fs).setYAxisGroup(1);
    }
    if (xs.isEmpty() && ex.isEmpty())
      throw new IllegalArgumentException(progressCsv + ": no rows with values");
    return new Figure(
        name,
        "Training: episode return (left) and the held-out mean response of the learned "
            + "policy against FIFO's on the same seeds (right).",
        c);
  }

  private static int col(List<String> header, String name, Path file) {
    int i = header.indexOf(name);
    if (i < 0) throw new IllegalArgumentException(file + ": no column " + name + " in the header");
    return i;
  }

  private static double parse(String[] f, int i) {
    if (i < 0 || i >= f.length || f[i].isBlank()) return Double.NaN;
    return Double.parseDouble(f[i]);
  }
}
