package dev.ghostgym.actors.policy;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * CFS's idea as a centralized policy: each task's virtual runtime is its CPU time scaled by its
 * nice weight (Linux's sched_prio_to_weight, nice 0 = 1024); the task with the least vruntime runs,
 * a slice is the minimum granularity, and a task that (re)appears starts at the smallest vruntime
 * then queued or running, so newcomers neither starve others nor get starved.
 */
public final class Cfs implements Policy {
  private static final int[] WEIGHTS = {
    88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
    9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
    1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
    110, 87, 70, 56, 45, 36, 29, 23, 18, 15
  };

  private final long granularityNs;
  // Keyed by the agents' task object, so an entry goes away with its task (no growth over a run).
  private final Map<TaskView, Long> offset = new WeakHashMap<>();

  public Cfs(long granularityNs) {
    if (granularityNs <= 0)
      throw new IllegalArgumentException(
          "policy.slice: expected > 0, got " + granularityNs + " ns");
    this.granularityNs = granularityNs;
  }

  static int weight(int nice) {
    return WEIGHTS[Math.max(-20, Math.min(19, nice)) + 20];
  }

  long vruntime(TaskView t) {
    long v = t.attainedNs() * 1024 / weight(t.nice());
    return v + offset.getOrDefault(t, 0L);
  }

  @Override
  public String name() {
    return "cfs";
  }

  @Override
  public Model model() {
    return Model.CENTRALIZED;
  }

  @Override
  public long sliceNs() {
    return granularityNs;
  }

  @Override
  public int decide(DecisionRequest r) {
    return switch (r.kind()) {
      case PLACE -> r.cpus().get(0).cpu();
      case INSERT -> {
        place(r);
        yield r.runQueue().size();
      }
      case PICK -> minIndex(r);
      case SLICE -> {
        int i = minIndex(r);
        yield i >= 0 && vruntime(r.runQueue().get(i)) < vruntime(r.task()) ? 1 : 0;
      }
      case PREEMPT -> -1;
    };
  }

  /** A task seen for the first time starts at the least vruntime around. */
  private void place(DecisionRequest r) {
    if (offset.containsKey(r.task())) return;
    long min = Long.MAX_VALUE;
    for (TaskView t : r.runQueue()) min = Math.min(min, vruntime(t));
    for (CpuView c : r.cpus()) if (c.current() != null) min = Math.min(min, vruntime(c.current()));
    long base = min == Long.MAX_VALUE ? 0 : min;
    offset.put(r.task(), base - r.task().attainedNs() * 1024 / weight(r.task().nice()));
  }

  private int minIndex(DecisionRequest r) {
    int best = -1;
    long bestV = Long.MAX_VALUE;
    for (int i = 0; i < r.runQueue().size(); i++) {
      long v = vruntime(r.runQueue().get(i));
      if (best < 0 || v < bestV) {
        best = i;
        bestV = v;
      }
    }
    return best;
  }
}
