package dev.ghostgym.app.report;

import dev.ghostgym.app.eval.Metric;
import dev.ghostgym.app.eval.Stats;
import dev.ghostgym.app.eval.Summary;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (figures embedded as PNG data URIs, no scripts, no
 * external resources) that can be mailed or attached to an issue and opens anywhere.
 */
public final class HtmlReport {
  /** A figure as the page shows it. */
  public record Shown(Figure figure, byte[] png) {}

  private HtmlReport() {}

  public static String render(
      String title,
      Map<String, Object> config,
      List<Summary.Row> rows,
      List<Shown> figures,
      String notes) {
    StringBuilder sb = new StringBuilder(64 * 1024);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc(title))
        .append("</title>\n<style>\n")
        .append(
            "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}\n")
        .append(
            "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px}\n")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}\n")
        .append("figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #eee}\n")
        .append(
            "figcaption{color:#555;font-size:14px}code{background:#f6f6f6}\n</style></head>\n<body>\n");
    sb.append("<h1>").append(esc(title)).append("</h1>\n");
    sb.append("<h2>Configuration</h2>\n<table id=\"config\">\n");
    config.forEach(
        (k, v) ->
            sb.append("<tr><th>")
                .append(esc(k))
                .append("</th><td>")
                .append(esc(String.valueOf(v)))
                .append("</td></tr>\n"));
    sb.append("</table>\n");
    if (notes != null && !notes.isBlank()) sb.append("<p>").append(esc(notes)).append("</p>\n");
    sb.append("<h2>Results</h2>\n").append(table(rows));
    sb.append("<h2>Figures</h2>\n");
    for (Shown s : figures) {
      Figure f = s.figure();
      sb.append("<figure id=\"fig-")
          .append(esc(f.name()))
          .append("\"><img class=\"figure\" alt=\"")
          .append(esc(f.name()))
          .append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(s.png()))
          .append("\">\n<figcaption>")
          .append(esc(f.caption()))
          .append(" (vector: <code>")
          .append(esc(f.name()))
          .append(".svg</code>)</figcaption></figure>\n");
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  static String table(List<Summary.Row> rows) {
    StringBuilder sb =
        new StringBuilder(
            "<table id=\"results\">\n<tr><th>workload</th><th>cpus</th><th>load</th><th>policy</th>");
    for (Metric m : Metric.values()) sb.append("<th>").append(esc(m.header)).append("</th>");
    sb.append("</tr>\n");
    for (Summary.Row r : rows) {
      sb.append("<tr><td>")
          .append(esc(r.workload()))
          .append("</td><td class=\"n\">")
          .append(r.cpus())
          .append("</td><td class=\"n\">")
          .append(r.loadLabel())
          .append("</td><td>")
          .append(esc(r.policyLabel()))
          .append("</td>");
      for (Metric m : Metric.values()) {
        Stats s = r.get(m);
        sb.append("<td class=\"n\">")
            .append(
                s.n() == 0
                    ? "-"
                    : fmt(s.mean()) + (s.n() > 1 ? " &plusmn;" + fmt(s.halfWidth()) : ""))
            .append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append(
        "</table>\n<p>Latencies in microseconds of simulated time; mean &plusmn; 95% confidence interval "
            + "(Student t) across seeds. * oracle: reads true service times.</p>\n");
    return sb.toString();
  }

  private static String fmt(double x) {
    if (Double.isNaN(x)) return "-";
    return Math.abs(x) >= 100
        ? String.format(Locale.ROOT, "%.0f", x)
        : Math.abs(x) >= 1
            ? String.format(Locale.ROOT, "%.2f", x)
            : String.format(Locale.ROOT, "%.3f", x);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
