package dev.ghostgym.learn;

import dev.ghostgym.config.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The record of a training run: one CSV row per update ({@code progress.csv}: step, mean episode
 * return of the episodes that ended, losses, evaluation mean response and the FIFO baseline's), a
 * progress line, and the learning curve as a PNG ({@code curve.png}, drawn with Java2D). A resumed
 * run keeps the rows up to its checkpoint and continues them. Every file is replaced atomically.
 */
public final class TrainLog implements AutoCloseable {
  public static final String CSV = "progress.csv";
  public static final String PNG = "curve.png";
  static final String HEADER =
      "step,episode_return,policy_loss,value_loss,entropy,eval_response_us,fifo_response_us,steps_per_s";

  /** One row; NaN where a value is not known at this update. */
  public record Row(
      long step,
      double episodeReturn,
      double policyLoss,
      double valueLoss,
      double entropy,
      double evalResponseUs,
      double fifoResponseUs,
      double stepsPerSecond) {
    String csv() {
      return String.format(
          Locale.ROOT,
          "%d,%s,%s,%s,%s,%s,%s,%.1f",
          step,
          f(episodeReturn),
          f(policyLoss),
          f(valueLoss),
          f(entropy),
          f(evalResponseUs),
          f(fifoResponseUs),
          stepsPerSecond);
    }

    private static String f(double x) {
      return Double.isNaN(x) ? "" : String.format(Locale.ROOT, "%.6g", x);
    }
  }

  private final Path dir;
  private final PrintStream progress;
  private final long totalSteps;
  private final List<Row> rows = new ArrayList<>();

  public TrainLog(Path dir, boolean append, PrintStream progress, long totalSteps) {
    this(dir, append, progress, totalSteps, Long.MAX_VALUE);
  }

  /**
   * A log of a new run (nothing is written until the first row), or of a resumed one: the rows of
   * {@code progress.csv} up to {@code keepUpTo} (the checkpoint's step) are kept, later ones (the
   * stretch after the last checkpoint, which the resumed run does again) are dropped.
   */
  public TrainLog(Path dir, boolean append, PrintStream progress, long totalSteps, long keepUpTo) {
    this.dir = dir;
    this.progress = progress;
    this.totalSteps = totalSteps;
    if (dir == null || !append) return;
    Path p = dir.resolve(CSV);
    if (!Files.exists(p)) return;
    try {
      for (String line : Files.readAllLines(p)) {
        if (line.isBlank() || line.startsWith("step")) continue;
        Row r = parse(line);
        if (r.step() <= keepUpTo) rows.add(r);
      }
    } catch (IOException | RuntimeException e) {
      throw new LearnError(
          "--resume " + dir + ": " + CSV + " is unreadable (" + Failure.line(e) + ")", e);
    }
  }

  public List<Row> rows() {
    return rows;
  }

  /** Adds a row: prints the progress line and rewrites progress.csv (atomically: whole or old). */
  public void add(Row r) {
    rows.add(r);
    if (progress != null) {
      int width = 24;
      int done = (int) Math.min(width, width * r.step() / Math.max(1, totalSteps));
      progress.printf(
          Locale.ROOT,
          "[%s%s] %d/%d  return %s  pg %s  v %s  ent %s%s  %.0f steps/s%n",
          "#".repeat(done),
          ".".repeat(width - done),
          r.step(),
          totalSteps,
          num(r.episodeReturn()),
          num(r.policyLoss()),
          num(r.valueLoss()),
          num(r.entropy()),
          Double.isNaN(r.evalResponseUs())
              ? ""
              : String.format(
                  Locale.ROOT,
                  "  eval %.1fus (fifo %.1fus)",
                  r.evalResponseUs(),
                  r.fifoResponseUs()),
          r.stepsPerSecond());
    }
    if (dir == null) return;
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Row x : rows) sb.append(x.csv()).append('\n');
    try {
      Files.createDirectories(dir);
      AtomicFile.writeString(dir.resolve(CSV), sb.toString());
    } catch (IOException e) {
      throw new LearnError(
          "--out " + dir + ": cannot write " + CSV + " (" + Failure.line(e) + ")", e);
    }
  }

  private static String num(double x) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.4g", x);
  }

  private static Row parse(String line) {
    String[] f = line.split(",", -1);
    double[] v = new double[8];
    for (int i = 1; i < 8; i++)
      v[i] = i < f.length && !f[i].isEmpty() ? Double.parseDouble(f[i]) : Double.NaN;
    return new Row(Long.parseLong(f[0]), v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
  }

  /**
   * Draws curve.png: episode return (left: raw, faint, and a moving average over about 2% of the
   * rows, bold) and the evaluation mean response against FIFO's (right, log scale: a learned policy
   * is often orders of magnitude below FIFO, which a linear axis flattens to a line at the bottom).
   */
  public void plot() {
    if (dir == null || rows.isEmpty()) return;
    System.setProperty("java.awt.headless", "true");
    int w = 1000, h = 420;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    double[] ret = values(Row::episodeReturn, false);
    panel(
        g,
        0,
        "episode return (bold: moving average)",
        false,
        new double[][] {ret, movingAverage(ret, Math.max(1, rows.size() / 50))},
        new Color[] {new Color(174, 199, 232), new Color(31, 119, 180)},
        new boolean[] {false, false});
    panel(
        g,
        w / 2,
        "eval mean response (us, log scale), dashed: fifo",
        true,
        new double[][] {values(Row::fifoResponseUs, true), values(Row::evalResponseUs, true)},
        new Color[] {Color.GRAY, new Color(31, 119, 180)},
        new boolean[] {true, false});
    g.dispose();
    try {
      AtomicFile.write(dir.resolve(PNG), o -> ImageIO.write(img, "png", o));
    } catch (IOException e) {
      throw new LearnError(
          "--out " + dir + ": cannot write " + PNG + " (" + e.getMessage() + ")", e);
    }
  }

  /** One value per row (NaN where absent); log10 of positive values when {@code log}. */
  private double[] values(ToDoubleFunction<Row> y, boolean log) {
    double[] v = new double[rows.size()];
    for (int i = 0; i < v.length; i++) {
      double x = y.applyAsDouble(rows.get(i));
      v[i] = !log ? x : (x > 0 ? Math.log10(x) : Double.NaN);
    }
    return v;
  }

  private static double[] movingAverage(double[] v, int k) {
    double[] out = new double[v.length];
    double sum = 0;
    int n = 0;
    ArrayDeque<Double> window = new ArrayDeque<>();
    for (int i = 0; i < v.length; i++) {
      if (!Double.isNaN(v[i])) {
        window.addLast(v[i]);
        sum += v[i];
        n++;
        if (n > k) {
          sum -= window.pollFirst();
          n--;
        }
      }
      out[i] = n == 0 || Double.isNaN(v[i]) ? Double.NaN : sum / n;
    }
    return out;
  }

  private void panel(
      Graphics2D g,
      int x0,
      String title,
      boolean log,
      double[][] series,
      Color[] colors,
      boolean[] dashed) {
    int left = x0 + 70, top = 30, width = 410, height = 330;
    double minX = rows.get(0).step(), maxX = rows.get(rows.size() - 1).step();
    double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
    for (double[] s : series) {
      for (double v : s) {
        if (!Double.isNaN(v) && !Double.isInfinite(v)) {
          minY = Math.min(minY, v);
          maxY = Math.max(maxY, v);
        }
      }
    }
    g.setColor(Color.BLACK);
    g.drawString(title, left, top - 10);
    g.drawRect(left, top, width, height);
    if (minY == Double.POSITIVE_INFINITY) return;
    if (maxY == minY) {
      maxY += 1;
      minY -= 1;
    }
    if (maxX == minX) maxX = minX + 1;
    g.drawString(
        String.format(Locale.ROOT, "%.4g", log ? Math.pow(10, maxY) : maxY), x0 + 5, top + 10);
    g.drawString(
        String.format(Locale.ROOT, "%.4g", log ? Math.pow(10, minY) : minY), x0 + 5, top + height);
    g.drawString(String.format(Locale.ROOT, "%d", (long) minX), left, top + height + 15);
    g.drawString(
        String.format(Locale.ROOT, "step %d", (long) maxX), left + width - 80, top + height + 15);
    for (int i = 0; i < series.length; i++) {
      BasicStroke stroke =
          dashed[i]
              ? new BasicStroke(
                  1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
              : new BasicStroke(i == series.length - 1 || series.length == 1 ? 2f : 1f);
      line(g, series[i], colors[i], stroke, left, top, width, height, minX, maxX, minY, maxY);
    }
  }

  private void line(
      Graphics2D g,
      double[] y,
      Color c,
      BasicStroke s,
      int left,
      int top,
      int width,
      int height,
      double minX,
      double maxX,
      double minY,
      double maxY) {
    g.setColor(c);
    g.setStroke(s);
    int px = -1, py = -1;
    for (int i = 0; i < y.length; i++) {
      double v = y[i];
      if (Double.isNaN(v)) continue;
      int x = left + (int) Math.round((rows.get(i).step() - minX) / (maxX - minX) * width);
      int yy = top + height - (int) Math.round((v - minY) / (maxY - minY) * height);
      if (px >= 0) g.drawLine(px, py, x, yy);
      else g.fillOval(x - 2, yy - 2, 4, 4);
      px = x;
      py = yy;
    }
  }

  @Override
  public void close() {
    plot();
  }
}
