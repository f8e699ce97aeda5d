package dev.ghostgym.learn.deploy;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.TaskView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A {@link DistilledTree} specialised for the agent's thread. Most of a distilled tree's splits
 * test features that are the same for every candidate of a decision (the kind of question, the
 * queue length, the running task's attained service) or fixed by the candidate's position (the slot
 * index, "keep"): in one tree distilled from the default network, 125 of 216 splits, and every
 * split of its top three levels. Walking them per candidate is wasted work, so at load time the
 * tree is partially evaluated for every (kind, queue-length interval, candidate position): each
 * such split is replaced by the child the known value leads to, and what remains tests only the
 * candidate's own features (waited, attained, preemptions, nice, hint, slack) and, at a slice
 * expiry, the running task's attained service. Identical subtrees are stored once. A decision then
 * looks up the queue-length interval and, per candidate, reads from its task only the fields the
 * tree splits on and walks its small residual tree. (Masks per residual tree, skipping the reads a
 * residual leaf does not need, measured 5-10% slower: the reads' branches stop being predictable.)
 *
 * <p>The answers are exactly those of {@link DistilledTree#choose} (every known value goes the way
 * {@code value <= threshold} sends it there); {@code CompiledTreeTest} checks it on random trees
 * and requests. Not thread-safe: one per agent.
 */
final class CompiledTree {
  /**
   * Residual nodes at most: beyond it {@link #compile} gives null and {@link FastPolicy} walks the
   * tree node by node ({@link DistilledTree#choose}).
   */
  static final int MAX_NODES = 1 << 18;

  private final int slots;
  private final int intervals; // queue-length intervals: one more than the distinct thresholds
  private final double[] queueCuts; // the distinct QUEUE thresholds, ascending
  private final int[] root; // [(kind * intervals + interval) * (slots + 1) + candidate]
  private final int[] feature; // -1: a leaf
  private final double[] threshold;
  private final int[] left;
  private final int[] right;
  private final float[] value;
  private final boolean[] reads = new boolean[Candidates.COUNT];
  private final double[] x = new double[Candidates.COUNT];

  private CompiledTree(int slots, double[] queueCuts, Pool pool, int[] root, boolean[] reads) {
    this.slots = slots;
    this.queueCuts = queueCuts;
    this.intervals = queueCuts.length + 1;
    this.root = root;
    this.feature = pool.feature.stream().mapToInt(Integer::intValue).toArray();
    this.threshold = pool.threshold.stream().mapToDouble(Double::doubleValue).toArray();
    this.left = pool.left.stream().mapToInt(Integer::intValue).toArray();
    this.right = pool.right.stream().mapToInt(Integer::intValue).toArray();
    this.value = new float[pool.value.size()];
    for (int i = 0; i < value.length; i++) value[i] = pool.value.get(i);
    System.arraycopy(reads, 0, this.reads, 0, reads.length);
  }

  /** {@code t} specialised for queues of {@code slots} slots, or null when it would be too big. */
  static CompiledTree compile(DistilledTree t, int slots) {
    TreeSet<Double> cuts = new TreeSet<>();
    boolean[] reads = new boolean[Candidates.COUNT];
    for (int n = 0; n < t.nodes(); n++) {
      int f = t.feature()[n];
      if (f == Candidates.QUEUE && !Double.isNaN(t.threshold()[n])) cuts.add(t.threshold()[n]);
      if (f >= 0) reads[f] = true;
    }
    double[] queueCuts = cuts.stream().mapToDouble(Double::doubleValue).toArray();
    int intervals = queueCuts.length + 1;
    Pool pool = new Pool();
    int[] root = new int[2 * intervals * (slots + 1)];
    for (int kind = 0; kind < 2; kind++) {
      for (int q = 0; q < intervals; q++) {
        for (int c = 0; c <= slots; c++) {
          Known k = new Known(kind, q, c, slots, queueCuts);
          root[(kind * intervals + q) * (slots + 1) + c] = prune(t, 0, k, pool);
          if (pool.size() > MAX_NODES) return null;
        }
      }
    }
    return new CompiledTree(slots, queueCuts, pool, root, reads);
  }

  /** What one (kind, queue interval, candidate) fixes. */
  private record Known(int kind, int interval, int candidate, int slots, double[] queueCuts) {
    /** True to go right at a split on {@code f} at {@code th}, null if not known here. */
    Boolean right(int f, double th) {
      return switch (f) {
        case Candidates.KEEP -> !((candidate == slots ? 1 : 0) <= th);
        case Candidates.INDEX -> !(candidate <= th);
        case Candidates.KIND -> !(kind <= th);
        case Candidates.RUNNING_ATTAINED -> kind == 0 ? !(0 <= th) : null; // 0 at a PICK
        // the queue length v goes right iff v > th, i.e. th is one of the interval's lower cuts
        case Candidates.QUEUE -> Double.isNaN(th) || Arrays.binarySearch(queueCuts, th) < interval;
        default -> null;
      };
    }
  }

  /** Node n of t with what k fixes resolved, into the pool (identical subtrees shared). */
  private static int prune(DistilledTree t, int n, Known k, Pool pool) {
    int f = t.feature()[n];
    if (f < 0) return pool.leaf(t.value()[n]);
    double th = t.threshold()[n];
    Boolean right = k.right(f, th);
    if (right != null) return prune(t, right ? t.right()[n] : t.left()[n], k, pool);
    int l = prune(t, t.left()[n], k, pool);
    int r = prune(t, t.right()[n], k, pool);
    return l == r ? l : pool.split(f, th, l, r);
  }

  /** The best candidate: a slot (0..slots-1) or {@code slots} (keep), ties to the lowest index. */
  int choose(DecisionRequest r, boolean hints, boolean slack) {
    List<? extends TaskView> rq = r.runQueue();
    long now = r.nowNs();
    int queued = rq.size();
    int n = Math.min(slots, queued);
    boolean slice = r.kind() == DecisionRequest.Kind.SLICE;
    double[] x = this.x;
    Candidates.writeShared(r, x);
    int base = ((slice ? intervals : 0) + interval(queued)) * (slots + 1);
    int best = -1;
    float bestScore = 0;
    for (int c = 0; c < n; c++) {
      Candidates.writeOwn(rq.get(c), now, c, slots, hints, slack, reads, x);
      float s = walk(root[base + c]);
      if (best < 0 || s > bestScore) {
        best = c;
        bestScore = s;
      }
    }
    if (slice && r.task() != null) {
      Candidates.writeOwn(r.task(), now, slots, slots, hints, slack, reads, x);
      if (best < 0 || walk(root[base + slots]) > bestScore) best = slots;
    }
    return Math.max(best, 0);
  }

  /** How many queue thresholds a queue of {@code queued} tasks is above. */
  private int interval(int queued) {
    int i = Arrays.binarySearch(queueCuts, queued);
    return i >= 0 ? i : -i - 1;
  }

  private float walk(int n) {
    double[] x = this.x;
    int f;
    while ((f = feature[n]) >= 0) n = x[f] <= threshold[n] ? left[n] : right[n];
    return value[n];
  }

  /** True when a residual tree splits on feature {@code f}. */
  boolean splitsOn(int f) {
    for (int g : feature) if (g == f) return true;
    return false;
  }

  /** Residual nodes in all (shared) trees. */
  int nodes() {
    return feature.length;
  }

  /** The growing node arrays, with one id per distinct subtree. */
  private static final class Pool {
    final List<Integer> feature = new ArrayList<>();
    final List<Double> threshold = new ArrayList<>();
    final List<Integer> left = new ArrayList<>();
    final List<Integer> right = new ArrayList<>();
    final List<Float> value = new ArrayList<>();
    final Map<List<Object>, Integer> ids = new HashMap<>();

    int size() {
      return feature.size();
    }

    int leaf(float v) {
      return add(List.of("leaf", Float.floatToIntBits(v)), -1, 0, -1, -1, v);
    }

    int split(int f, double th, int l, int r) {
      return add(List.of(f, Double.doubleToLongBits(th), l, r), f, th, l, r, 0);
    }

    private int add(List<Object> key, int f, double th, int l, int r, float v) {
      Integer id = ids.get(key);
      if (id != null) return id;
      ids.put(key, feature.size());
      feature.add(f);
      threshold.add(th);
      left.add(l);
      right.add(r);
      value.add(v);
      return feature.size() - 1;
    }
  }
}
