package dev.ghostgym.learn.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.policy.CpuView;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.TaskView;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The specialised tree the agent walks answers exactly as the distilled tree node by node. */
class CompiledTreeTest {
  private static final int SLOTS = 16;
  private static final long NOW = 1_000_000_000L;

  @Test
  void randomTreesOverEveryFeatureChooseAsTheReferenceWalk() {
    SplittableRandom rnd = new SplittableRandom(5);
    int decisions = 0;
    for (int tree = 0; tree < 40; tree++) {
      DistilledTree t = randomTree(rnd, 1 + rnd.nextInt(9));
      CompiledTree c = CompiledTree.compile(t, SLOTS);
      assertNotNull(c);
      for (int i = 0; i < 300; i++) {
        DecisionRequest r = request(rnd);
        boolean hints = rnd.nextBoolean();
        boolean slack = rnd.nextBoolean();
        assertEquals(
            t.choose(r, SLOTS, hints, slack),
            c.choose(r, hints, slack),
            "tree " + tree + ", request " + i);
        decisions++;
      }
    }
    assertEquals(12_000, decisions);
  }

  @Test
  void aFittedTreeOnPositionQueueAndWaitKeepsOnlyTheWaitSplitsPerCandidate() {
    // A tree fitted to scores that depend on the slot, the queue length and the wait, as a
    // distilled one is: per candidate, the residual trees test only the wait.
    SplittableRandom rnd = new SplittableRandom(9);
    int rows = 20_000;
    double[][] x = new double[Candidates.COUNT][rows];
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      x[Candidates.INDEX][i] = rnd.nextInt(SLOTS + 1);
      x[Candidates.QUEUE][i] = rnd.nextInt(40);
      x[Candidates.WAITED][i] = rnd.nextInt(1_000_000);
      x[Candidates.KIND][i] = rnd.nextInt(2);
      y[i] =
          -x[Candidates.INDEX][i]
              + (x[Candidates.QUEUE][i] > 20 ? x[Candidates.WAITED][i] * 1e-5 : 0)
              + x[Candidates.KIND][i];
    }
    DistilledTree t = TreeFit.fit(x, y, 8, 20);
    CompiledTree c = CompiledTree.compile(t, SLOTS);
    for (int i = 0; i < 2000; i++) {
      DecisionRequest r = request(rnd);
      assertEquals(t.choose(r, SLOTS, false, false), c.choose(r, false, false), "request " + i);
    }
    assertTrue(t.depth() >= 6, "depth " + t.depth());
    for (int f : new int[] {Candidates.INDEX, Candidates.QUEUE, Candidates.KIND}) {
      assertTrue(t.splitsOn(f), "the fitted tree splits on " + Candidates.NAMES[f]);
      assertTrue(!c.splitsOn(f), "a residual tree splits on " + Candidates.NAMES[f]);
    }
    assertTrue(c.splitsOn(Candidates.WAITED));
  }

  /** A random valid tree over all features, thresholds near the values requests produce. */
  private static DistilledTree randomTree(SplittableRandom rnd, int depth) {
    List<int[]> nodes = new ArrayList<>(); // feature, left, right
    List<Double> th = new ArrayList<>();
    List<Float> val = new ArrayList<>();
    grow(rnd, depth, nodes, th, val);
    int n = nodes.size();
    int[] f = new int[n];
    int[] l = new int[n];
    int[] r = new int[n];
    double[] t = new double[n];
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = nodes.get(i)[0];
      l[i] = nodes.get(i)[1];
      r[i] = nodes.get(i)[2];
      t[i] = th.get(i);
      v[i] = val.get(i);
    }
    return new DistilledTree(f, t, l, r, v);
  }

  private static int grow(
      SplittableRandom rnd, int depth, List<int[]> nodes, List<Double> th, List<Float> val) {
    int id = nodes.size();
    // Few distinct leaf values, so that ties (lowest index wins) happen.
    float leaf = rnd.nextInt(6);
    if (depth == 0 || rnd.nextInt(8) == 0) {
      nodes.add(new int[] {-1, -1, -1});
      th.add(0.0);
      val.add(leaf);
      return id;
    }
    int f = rnd.nextInt(Candidates.COUNT);
    nodes.add(new int[] {f, -1, -1});
    th.add(threshold(rnd, f));
    val.add(leaf);
    nodes.get(id)[1] = grow(rnd, depth - 1, nodes, th, val);
    nodes.get(id)[2] = grow(rnd, depth - 1, nodes, th, val);
    return id;
  }

  private static double threshold(SplittableRandom rnd, int f) {
    return switch (f) {
      case Candidates.KEEP, Candidates.KIND -> rnd.nextInt(2) == 0 ? 0 : 0.5;
      case Candidates.INDEX -> rnd.nextInt(SLOTS + 1); // equal to a slot: ties go left
      case Candidates.QUEUE -> rnd.nextInt(25) + (rnd.nextBoolean() ? 0.5 : 0);
      case Candidates.PREEMPTIONS, Candidates.NICE, Candidates.HINT -> rnd.nextInt(5) - 1;
      case Candidates.SLACK -> rnd.nextInt(2_000_001) - 1_000_000;
      default -> rnd.nextInt(100_000); // times in ns
    };
  }

  /** A PICK or SLICE with 0 to 24 queued tasks whose fields take few values (so ties happen). */
  private static DecisionRequest request(SplittableRandom rnd) {
    boolean slice = rnd.nextBoolean();
    int queued = rnd.nextInt(25);
    List<TaskView> rq = new ArrayList<>();
    for (int i = 0; i < queued; i++) rq.add(task(rnd, i));
    TaskView running = slice && rnd.nextInt(10) > 0 ? task(rnd, 99) : null;
    List<CpuView> cpus = List.of(new CpuView(0, running, NOW, 0, true));
    return new DecisionRequest(
        1,
        slice ? DecisionRequest.Kind.SLICE : DecisionRequest.Kind.PICK,
        slice ? DecisionRequest.Trigger.SLICE : DecisionRequest.Trigger.CPU_IDLE,
        0,
        running,
        rq,
        cpus,
        NOW);
  }

  private static SampleRequests.Task task(SplittableRandom rnd, int i) {
    long deadline = rnd.nextBoolean() ? Long.MAX_VALUE : NOW - 1_000_000 + rnd.nextInt(2_000_001);
    return new SampleRequests.Task(
        i + 1,
        rnd.nextInt(4),
        rnd.nextInt(3) - 1,
        NOW - rnd.nextInt(100_000),
        rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(100_000),
        rnd.nextInt(4),
        deadline);
  }
}
