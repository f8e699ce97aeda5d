package dev.ghostgym.sim;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * One CPU's CFS runqueue (struct cfs_rq): the waiting tasks ordered by vruntime (the kernel's
 * rbtree, here a TreeSet; equal vruntimes in insertion order, as __enqueue_entity puts them), the
 * running CFS task kept out of the tree as the kernel keeps {@code curr}, the total load weight of
 * both, and min_vruntime, which only moves forward.
 */
final class CfsRunQueue {
  private static final Comparator<SimTask> BY_VRUNTIME =
      Comparator.<SimTask>comparingLong(t -> t.vruntime).thenComparingLong(t -> t.rqSeq);
  private long insertions; // ties go right of earlier insertions, as in the rbtree

  final TreeSet<SimTask> tree = new TreeSet<>(BY_VRUNTIME);
  SimTask curr; // the CFS task on the CPU, out of the tree
  long load; // weights of the tree and curr
  long minVruntime;
  SimTask skip; // the task that just called sched_yield (the kernel's skip buddy)

  boolean isEmpty() {
    return tree.isEmpty();
  }

  int size() {
    return tree.size();
  }

  /** nr_running of the cfs_rq: queued tasks plus the running one. */
  int nrRunning() {
    return tree.size() + (curr != null ? 1 : 0);
  }

  void add(SimTask t) {
    t.rqSeq = ++insertions;
    tree.add(t);
    load += t.weight;
  }

  void remove(SimTask t) {
    if (tree.remove(t)) load -= t.weight;
  }

  /**
   * pick_next_entity: the leftmost task, unless it is the skip buddy and another is waiting (the
   * kernel also checks that the second is within the wakeup granularity; we always skip).
   */
  SimTask pollNext() {
    SimTask t = tree.first();
    if (t == skip && tree.size() > 1) t = tree.higher(t);
    skip = null;
    tree.remove(t);
    return t;
  }

  /** update_min_vruntime: the smaller of curr's and the leftmost's vruntime, never backwards. */
  void updateMinVruntime(long currVruntime, boolean hasCurr) {
    long v = minVruntime;
    boolean any = false;
    if (hasCurr) {
      v = currVruntime;
      any = true;
    }
    if (!tree.isEmpty()) {
      long left = tree.first().vruntime;
      v = any ? Math.min(v, left) : left;
      any = true;
    }
    if (any) minVruntime = Math.max(minVruntime, v);
  }
}
