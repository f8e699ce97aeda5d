package dev.ghostgym.app;

import dev.ghostgym.app.eval.Metric;
import dev.ghostgym.app.eval.RunOutcome;
import dev.ghostgym.app.eval.Summary;
import dev.ghostgym.app.eval.Tables;
import dev.ghostgym.app.report.Figure;
import dev.ghostgym.app.report.HtmlReport;
import dev.ghostgym.app.report.Plots;
import dev.ghostgym.config.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Writes what an evaluation found: tables (text, CSV, Markdown, JSON), figures and report.html. */
final class EvalReport {
  private EvalReport() {}

  /** Refuses to write into a directory that already holds files, unless the user said --force. */
  static void checkOut(Path out, boolean force) {
    if (force || !Files.exists(out)) return;
    if (!Files.isDirectory(out))
      throw new InputError("--out: " + out + " exists and is not a directory");
    try (Stream<Path> s = Files.list(out)) {
      if (s.findAny().isPresent()) {
        throw new InputError(
            "--out: "
                + out
                + " already holds a run; pass --force to overwrite it or choose another --out");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the report directory {@code out} (and its parents) when missing. */
  static void createOut(Path out) {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException(out + ": cannot create the directory (" + e + ")", e);
    }
  }

  /**
   * The standard figures: per (workload, CPUs) a CDF and bars at the highest load, and p99 vs load.
   */
  static List<Figure> figures(List<Summary.Row> rows) {
    List<Figure> figs = new ArrayList<>();
    Map<String, List<Summary.Row>> byWc = new LinkedHashMap<>();
    for (Summary.Row r : rows)
      byWc.computeIfAbsent(r.workload() + "-" + r.cpus() + "cpu", k -> new ArrayList<>()).add(r);
    for (var e : byWc.entrySet()) {
      List<Summary.Row> g = e.getValue();
      String top = g.stream().map(Summary.Row::loadLabel).max(String::compareTo).orElseThrow();
      List<Summary.Row> atTop = g.stream().filter(r -> r.loadLabel().equals(top)).toList();
      String k = e.getKey();
      figs.add(Plots.cdf(atTop, "cdf-" + k));
      if (g.stream().map(Summary.Row::loadLabel).distinct().count() > 1) {
        figs.add(Plots.p99VsLoad(g, g.get(0).workload(), g.get(0).cpus(), "p99-vs-load-" + k));
      }
      figs.add(Plots.bars(atTop, Metric.RESPONSE_P99, "us", "bars-p99-" + k));
      figs.add(Plots.bars(atTop, Metric.RESPONSE_MEAN, "us", "bars-mean-" + k));
      figs.add(Plots.bars(atTop, Metric.AGENT_OVERHEAD, "share", "bars-agent-" + k));
    }
    return figs;
  }

  /** Writes every file and returns the path of report.html. */
  static Path write(
      Path out,
      String title,
      Map<String, Object> config,
      List<RunOutcome> runs,
      List<Summary.Row> rows,
      List<Figure> figures,
      Map<String, Object> extraJson,
      String notes) {
    createOut(out);
    List<HtmlReport.Shown> shown = new ArrayList<>();
    for (Figure f : figures) shown.add(new HtmlReport.Shown(f, f.save(out)));
    AtomicFile.writeStringUnchecked(out.resolve("summary.csv"), Tables.csv(rows));
    AtomicFile.writeStringUnchecked(out.resolve("runs.csv"), Tables.runsCsv(runs));
    AtomicFile.writeStringUnchecked(out.resolve("table.txt"), Tables.text(rows));
    AtomicFile.writeStringUnchecked(out.resolve("results.md"), Tables.markdown(rows));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("config", config);
    json.put("runs_finished", runs.size());
    json.putAll(extraJson);
    json.put("figures", figures.stream().map(Figure::name).toList());
    json.put("results", Tables.json(rows));
    AtomicFile.writeStringUnchecked(out.resolve("results.json"), Json.write(json));
    Path html = out.resolve("report.html");
    AtomicFile.writeStringUnchecked(html, HtmlReport.render(title, config, rows, shown, notes));
    return html;
  }
}
