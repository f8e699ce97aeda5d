package dev.ghostgym.learn.deploy;

import dev.ghostgym.actors.policy.CpuView;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.TaskView;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fixed, seeded PICK and SLICE requests with a full run queue, for timing a policy's decision
 * (calibration at export, the JMH benchmark): the work per decision is the largest the model sees,
 * since every slot is filled. Built once; deciding on them allocates nothing.
 */
public final class SampleRequests {
  /** A task as a policy sees it, with fixed values. */
  record Task(
      long gtid,
      int hint,
      int nice,
      long runnableSinceNs,
      long attainedNs,
      int preemptions,
      long deadlineNs)
      implements TaskView {
    @Override
    public boolean boosted() {
      return false;
    }

    @Override
    public long remainingNs() {
      return -1;
    }

    @Override
    public long burstNs() {
      return -1;
    }
  }

  private SampleRequests() {}

  /**
   * {@code n} requests (PICK, or SLICE with {@code slice}), each with {@code queued} tasks and
   * {@code cpus} busy CPUs.
   */
  public static DecisionRequest[] make(int n, int queued, int cpus, boolean slice, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    DecisionRequest[] out = new DecisionRequest[n];
    long now = 1_000_000_000L;
    for (int k = 0; k < n; k++) {
      List<TaskView> rq = new ArrayList<>();
      for (int i = 0; i < queued; i++) rq.add(task(rnd, now, i));
      List<CpuView> cv = new ArrayList<>();
      for (int c = 0; c < cpus; c++)
        cv.add(new CpuView(c, task(rnd, now, 100 + c), now - rnd.nextLong(50_000), 0, true));
      TaskView running = slice ? cv.get(0).current() : null;
      out[k] =
          new DecisionRequest(
              k + 1,
              slice ? DecisionRequest.Kind.SLICE : DecisionRequest.Kind.PICK,
              slice ? DecisionRequest.Trigger.SLICE : DecisionRequest.Trigger.CPU_IDLE,
              0,
              running,
              List.copyOf(rq),
              List.copyOf(cv),
              now);
    }
    return out;
  }

  private static Task task(SplittableRandom rnd, long now, int i) {
    // Waits and attained service over 1 us .. 10 ms on a log scale, as in the RocksDB workloads.
    long waited = (long) Math.pow(10, 3 + 4 * rnd.nextDouble());
    long attained = rnd.nextInt(3) == 0 ? 0 : (long) Math.pow(10, 3 + 4 * rnd.nextDouble());
    return new Task(i + 1, 0, 0, now - waited, attained, rnd.nextInt(4), Long.MAX_VALUE);
  }
}
