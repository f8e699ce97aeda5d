package dev.ghostgym.app.report;

import dev.ghostgym.app.eval.Metric;
import dev.ghostgym.app.eval.Stats;
import dev.ghostgym.app.eval.Summary;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The evaluation's charts: response-time CDFs, p99 against load, bar charts of the table. */
public final class Plots {
  static final int W = 900, H = 540;
  static final int CDF_POINTS = 400;

  private Plots() {}

  static void style(Styler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setPlotBorderVisible(false);
  }

  /** Response-time CDF per policy for one workload/CPUs/load, all seeds pooled; log x. */
  public static Figure cdf(List<Summary.Row> rows, String name) {
    Summary.Row first = rows.get(0);
    XYChart c =
        new XYChartBuilder()
            .width(W)
            .height(H)
            .title(
                "Response time CDF: "
                    + first.workload()
                    + ", "
                    + first.cpus()
                    + " CPUs, load "
                    + first.loadLabel())
            .xAxisTitle("response time (us, log scale)")
            .yAxisTitle("fraction of tasks")
            .build();
    style(c.getStyler());
    c.getStyler().setXAxisLogarithmic(true);
    c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    c.getStyler().setYAxisDecimalPattern("0.0#");
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    for (Summary.Row r : rows) {
      double[] all =
          r.runs().stream()
              .flatMapToDouble(o -> Arrays.stream(o.responseSampleUs()))
              .sorted()
              .toArray();
      if (all.length == 0) continue;
      int k =
          Math.min(
              CDF_POINTS,
              all.length); // evenly spaced order statistics keep the shape, not the bulk
      double[] x = new double[k], y = new double[k];
      for (int i = 0; i < k; i++) {
        int idx =
            k == 1 ? all.length - 1 : (int) Math.round((double) i * (all.length - 1) / (k - 1));
        x[i] = Math.max(all[idx], 1e-3); // log axis: no zero
        y[i] = (idx + 1) / (double) all.length;
      }
      c.addSeries(r.policyLabel(), x, y).setMarker(SeriesMarkers.NONE);
    }
    return new Figure(
        name,
        "Response-time distribution per policy ("
            + first.workload()
            + ", load "
            + first.loadLabel()
            + "); curves further left are faster, the top right shows the tail.",
        c);
  }

  /** p99 response against load, one line per policy, with 95% CI bars across seeds. */
  public static Figure p99VsLoad(List<Summary.Row> rows, String workload, int cpus, String name) {
    XYChart c =
        new XYChartBuilder()
            .width(W)
            .height(H)
            .title("p99 response vs load: " + workload + ", " + cpus + " CPUs")
            .xAxisTitle("offered load")
            .yAxisTitle("p99 response (us, log scale)")
            .build();
    style(c.getStyler());
    c.getStyler().setYAxisLogarithmic(true);
    Map<String, List<Summary.Row>> byPolicy = new LinkedHashMap<>();
    for (Summary.Row r : rows) {
      if (r.workload().equals(workload) && r.cpus() == cpus && !Double.isNaN(r.load())) {
        byPolicy.computeIfAbsent(r.policyLabel(), k -> new ArrayList<>()).add(r);
      }
    }
    for (var e : byPolicy.entrySet()) {
      List<Summary.Row> pts = e.getValue();
      double[] x = new double[pts.size()], y = new double[pts.size()], err = new double[pts.size()];
      for (int i = 0; i < x.length; i++) {
        Stats s = pts.get(i).get(Metric.RESPONSE_P99);
        x[i] = pts.get(i).load();
        y[i] = Math.max(s.mean(), 1e-3);
        err[i] = Math.min(s.halfWidth(), y[i] * 0.999); // a log axis cannot draw below zero
      }
      c.addSeries(e.getKey(), x, y, err);
    }
    return new Figure(
        name,
        "99th-percentile response time against offered load ("
            + workload
            + ", "
            + cpus
            + " CPUs); bars are 95% confidence intervals across seeds.",
        c);
  }

  /** One metric of the table as bars per policy, with 95% CI error bars. */
  public static Figure bars(List<Summary.Row> rows, Metric m, String unit, String name) {
    Summary.Row first = rows.get(0);
    CategoryChart c =
        new CategoryChartBuilder()
            .width(W)
            .height(H)
            .title(
                m.header
                    + " by policy: "
                    + first.workload()
                    + ", "
                    + first.cpus()
                    + " CPUs, load "
                    + first.loadLabel())
            .xAxisTitle("policy")
            .yAxisTitle(m.key + (unit.isEmpty() ? "" : " (" + unit + ")"))
            .build();
    style(c.getStyler());
    c.getStyler().setLegendVisible(false);
    List<String> x = new ArrayList<>();
    List<Double> y = new ArrayList<>(), err = new ArrayList<>();
    for (Summary.Row r : rows) {
      Stats s = r.get(m);
      x.add(r.policyLabel());
      y.add(Double.isNaN(s.mean()) ? 0 : s.mean());
      err.add(Double.isNaN(s.halfWidth()) ? 0 : s.halfWidth());
    }
    c.addSeries(m.key, x, y, err);
    return new Figure(
        name,
        m.header
            + " per policy ("
            + first.workload()
            + ", load "
            + first.loadLabel()
            + "), mean across seeds with 95% confidence intervals.",
        c);
  }
}
