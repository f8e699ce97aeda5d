package dev.ghostgym.app.eval;

import dev.ghostgym.app.io.Interrupt;
import dev.ghostgym.app.io.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the cells of an evaluation on a pool of worker threads, one simulation per thread at a time
 * (each run is single-threaded and deterministic, so the results do not depend on the number of
 * workers). After an interrupt no new run starts; the finished ones are returned.
 */
public final class Matrix {
  private Matrix() {}

  /** Every combination, seeds innermost (so a partial matrix has whole groups first). */
  public static List<Cell> cells(
      List<String> workloads,
      List<Integer> cpus,
      List<String> policies,
      List<Double> loads,
      List<Long> seeds) {
    List<Cell> cells = new ArrayList<>();
    for (String w : workloads) {
      for (int c : cpus) {
        for (double l : loads) {
          for (String p : policies) {
            for (long s : seeds) cells.add(new Cell(w, c, p, l, s));
          }
        }
      }
    }
    return cells;
  }

  /** The outcomes of the runs that finished, in the order of {@code cells}. */
  public static List<RunOutcome> run(
      List<Cell> cells, long tasks, int jobs, Progress progress, Interrupt stop) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, jobs),
            r -> {
              Thread t = new Thread(r, "eval-worker");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<RunOutcome>> futures = new ArrayList<>();
      for (Cell c : cells) {
        futures.add(
            pool.submit(
                () -> {
                  if (stop.requested()) return null;
                  RunOutcome o = Runs.run(c, tasks);
                  progress.step(c.group() + " seed " + c.seed());
                  return o;
                }));
      }
      List<RunOutcome> out = new ArrayList<>();
      for (Future<RunOutcome> f : futures) {
        RunOutcome o = f.get();
        if (o != null) out.add(o);
      }
      if (stop.requested()) progress.stop();
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for runs", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) throw re;
      throw new IllegalStateException(c);
    } finally {
      pool.shutdownNow();
    }
  }
}
