package dev.ghostgym.learn.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.policy.DecisionRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The compiled, level-by-level walk chooses exactly as the fitted tree read node by node. */
class DistilledTreeTest {
  /** The definition: each candidate's double features walked through the fitted nodes. */
  private static int reference(DistilledTree t, DecisionRequest r, int slots) {
    double[] x = new double[Candidates.COUNT];
    int n = Math.min(slots, r.runQueue().size());
    int best = -1;
    float bestScore = 0;
    for (int c = 0; c < n; c++) {
      Candidates.write(r, c, slots, false, false, x);
      float s = t.score(x);
      if (best < 0 || s > bestScore) {
        best = c;
        bestScore = s;
      }
    }
    if (r.kind() == DecisionRequest.Kind.SLICE && r.task() != null) {
      Candidates.write(r, slots, slots, false, false, x);
      if (best < 0 || t.score(x) > bestScore) best = slots;
    }
    return Math.max(best, 0);
  }

  /** A random unbalanced tree of at most {@code depth} levels, thresholds from the features. */
  private static DistilledTree randomTree(SplittableRandom rnd, int depth, double[][] seen) {
    List<int[]> nodes = new ArrayList<>(); // feature, left, right
    List<Double> thresholds = new ArrayList<>();
    List<Float> values = new ArrayList<>();
    grow(rnd, depth, seen, nodes, thresholds, values);
    int n = nodes.size();
    int[] f = new int[n], l = new int[n], r = new int[n];
    double[] t = new double[n];
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = nodes.get(i)[0];
      l[i] = nodes.get(i)[1];
      r[i] = nodes.get(i)[2];
      t[i] = thresholds.get(i);
      v[i] = values.get(i);
    }
    return new DistilledTree(f, t, l, r, v);
  }

  private static int grow(
      SplittableRandom rnd,
      int depth,
      double[][] seen,
      List<int[]> nodes,
      List<Double> thresholds,
      List<Float> values) {
    int me = nodes.size();
    nodes.add(new int[] {-1, 0, 0});
    thresholds.add(0.0);
    values.add((float) rnd.nextInt(5)); // few distinct scores: ties must go to the lowest index
    if (depth == 0 || rnd.nextInt(5) == 0) return me;
    int f = rnd.nextInt(Candidates.COUNT);
    double[] column = seen[f];
    // a seen value (ties: x equal to the threshold goes left) or a value between two
    double t = column[rnd.nextInt(column.length)] + (rnd.nextBoolean() ? 0 : 0.5);
    int left = grow(rnd, depth - 1, seen, nodes, thresholds, values);
    int right = grow(rnd, depth - 1, seen, nodes, thresholds, values);
    nodes.set(me, new int[] {f, left, right});
    thresholds.set(me, t);
    return me;
  }

  @Test
  void theCompiledWalkChoosesAsTheFittedTreeOnPicksAndSlices() {
    int slots = 16;
    List<DecisionRequest> reqs = new ArrayList<>();
    for (boolean slice : new boolean[] {false, true})
      for (int queued : new int[] {0, 1, 5, 16, 20})
        reqs.addAll(List.of(SampleRequests.make(40, queued, 4, slice, queued + (slice ? 100 : 0))));
    double[][] seen = new double[Candidates.COUNT][];
    double[] x = new double[Candidates.COUNT];
    List<double[]> rows = new ArrayList<>();
    for (DecisionRequest r : reqs)
      for (int c = 0; c < Math.min(slots, r.runQueue().size()); c++) {
        Candidates.write(r, c, slots, false, false, x);
        rows.add(x.clone());
      }
    for (int f = 0; f < Candidates.COUNT; f++) {
      seen[f] = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) seen[f][i] = rows.get(i)[f];
    }
    SplittableRandom rnd = new SplittableRandom(9);
    Set<Integer> answers = new HashSet<>();
    for (int k = 0; k < 60; k++) {
      DistilledTree t = randomTree(rnd, 1 + rnd.nextInt(8), seen);
      for (DecisionRequest r : reqs) {
        int a = t.choose(r, slots, false, false);
        assertEquals(reference(t, r, slots), a, "tree " + k + ", request " + r.id());
        answers.add(a);
      }
    }
    assertTrue(answers.size() > 10 && answers.contains(slots), "answers seen: " + answers);
  }

  @Test
  void aTreeDeeperThanSixteenLevelsIsRefused() {
    int n = 35; // a chain of 17 tests
    int[] f = new int[n], l = new int[n], r = new int[n];
    for (int i = 0; i < n; i++) f[i] = -1;
    for (int i = 0; i < 17; i++) {
      f[2 * i] = 0;
      l[2 * i] = 2 * i + 1;
      r[2 * i] = 2 * i + 2;
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> new DistilledTree(f, new double[n], l, r, new float[n]));
  }
}
