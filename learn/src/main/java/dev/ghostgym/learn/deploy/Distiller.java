package dev.ghostgym.learn.deploy;

import dev.ghostgym.gym.sched.PickNextEnv;
import dev.ghostgym.learn.Checkpoint;
import dev.ghostgym.learn.Evaluation;
import java.util.ArrayList;
import java.util.List;

/**
 * Distils a network into a {@link DistilledTree}: the network schedules the training workload (its
 * loads and service mixes when trained with domain randomisation) on {@code fitSeeds}; at every
 * PICK and SLICE it answers, each valid candidate becomes a row of {@link Candidates} features with
 * the network's score for it, centred on the decision's mean (at most {@link #MAX_ROWS} rows, each
 * run giving an equal share from its start); a tree is fitted to those rows. Then the network runs
 * again on other seeds and the tree is asked the same questions at the same moments: the share of
 * equal choices is the tree's agreement.
 */
public final class Distiller {
  /**
   * Rows fitted at most (each fit run gives its share, from its start), to bound time and memory.
   */
  static final int MAX_ROWS = 300_000;

  /** How much to run and how big a tree to grow. */
  public record Settings(int fitSeeds, int checkSeeds, long tasks, int maxDepth, int minLeaf) {
    public static final Settings DEFAULT = new Settings(6, 3, 4000, 8, 40);
  }

  /** The tree, its agreement with the network on the check runs, and the rows it was fitted on. */
  public record Result(DistilledTree tree, double agreement, int samples) {}

  private Distiller() {}

  static Result distil(Checkpoint c, PickNextEnv env, ArrayMlp mlp, Settings s) {
    List<double[]> rows = new ArrayList<>();
    List<Double> targets = new ArrayList<>();
    double[] x = new double[Candidates.COUNT];
    FastPolicy teacher = FastPolicy.mlp("teacher", env, mlp, 0, c.seed());
    int[] quota = new int[1];
    teacher.recorder(
        (r, scores, mask, action) -> {
          if (quota[0] <= 0) return; // this run gave its share of rows: the rest of it only runs
          double mean = 0;
          int n = 0;
          for (int a = 0; a < mask.length; a++)
            if (mask[a]) {
              mean += scores[a];
              n++;
            }
          mean /= Math.max(1, n);
          for (int a = 0; a < mask.length; a++) {
            if (!mask[a]) continue;
            Candidates.write(r, a, env.slots(), env.hints(), env.oracleFeatures(), x);
            rows.add(x.clone());
            targets.add((double) (scores[a] - mean));
            quota[0]--;
          }
        });
    for (int i = 0; i < s.fitSeeds(); i++) {
      quota[0] = MAX_ROWS / s.fitSeeds();
      run(c, teacher, 500_001L + i, i, s.fitSeeds(), s.tasks());
    }
    double[][] cols = new double[Candidates.COUNT][rows.size()];
    double[] y = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int f = 0; f < Candidates.COUNT; f++) cols[f][i] = rows.get(i)[f];
      y[i] = targets.get(i);
    }
    DistilledTree tree = TreeFit.fit(cols, y, s.maxDepth(), s.minLeaf());
    return new Result(tree, agreement(c, env, mlp, tree, s), rows.size());
  }

  /** Share of the network's decisions on fresh seeds that the tree answers the same way. */
  public static double agreement(
      Checkpoint c, PickNextEnv env, ArrayMlp mlp, DistilledTree tree, Settings s) {
    long[] same = new long[2];
    FastPolicy teacher = FastPolicy.mlp("teacher", env, mlp, 0, c.seed());
    teacher.recorder(
        (r, scores, mask, action) -> {
          same[1]++;
          if (tree.choose(r, env.slots(), env.hints(), env.oracleFeatures()) == action) same[0]++;
        });
    for (int i = 0; i < s.checkSeeds(); i++)
      run(c, teacher, 600_001L + i, i, s.checkSeeds(), s.tasks());
    return same[1] == 0 ? 1.0 : (double) same[0] / same[1];
  }

  /**
   * One simulation of the checkpoint's workload under {@code p}; run i of n spreads the randomised
   * load and service.
   */
  static void run(Checkpoint c, FastPolicy p, long seed, int i, int n, long tasks) {
    Evaluation.runSpread(c.options(), p, seed, tasks, i, n);
  }
}
