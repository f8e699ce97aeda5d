package dev.ghostgym.gym.sched;

import dev.ghostgym.actors.policy.CpuView;
import dev.ghostgym.actors.policy.TaskView;
import java.util.Arrays;
import java.util.List;

/**
 * Fixed-size float features of tasks and CPUs for the PickNext and Placement observations. Times
 * span nanoseconds to seconds, so they enter as ln(1 + microseconds); all values lie in [-50, 50].
 */
final class TaskFeatures {
  /** Per task: present, waited, attained, preemptions, nice, deadline slack, hint. */
  static final int TASK = 7;

  /** Per CPU: busy, attained of its task, available, run-queue length. */
  static final int CPU = 4;

  static final float BOUND = 50f;

  private TaskFeatures() {}

  /**
   * Writes one task's features at {@code out[at..at+TASK)} (the caller zeroes the range first).
   * Deadline slack is written only with {@code slack}: it comes from the workload's deadline, which
   * a live kernel does not report (it reads 0 there), so a model that uses it is marked oracle.
   */
  static void task(float[] out, int at, TaskView t, long nowNs, boolean hints, boolean slack) {
    if (t == null) return;
    out[at] = 1;
    out[at + 1] = SchedulerEnv.ln1p((nowNs - t.runnableSinceNs()) / 1e3, BOUND);
    out[at + 2] = SchedulerEnv.ln1p(t.attainedNs() / 1e3, BOUND);
    out[at + 3] = SchedulerEnv.ln1p(t.preemptions(), BOUND);
    out[at + 4] = t.nice();
    long deadline = t.deadlineNs();
    if (slack && deadline != Long.MAX_VALUE) {
      double slackUs = (deadline - nowNs) / 1e3;
      out[at + 5] = (float) Math.copySign(SchedulerEnv.ln1p(Math.abs(slackUs), BOUND), slackUs);
    }
    out[at + 6] = hints ? Math.min(BOUND, t.hint()) : 0;
  }

  static float[] tasks(
      List<? extends TaskView> rq, int slots, long nowNs, boolean hints, boolean slack) {
    float[] out = new float[slots * TASK];
    tasksInto(out, 0, rq, slots, nowNs, hints, slack);
    return out;
  }

  /** The first {@code slots} queued tasks at {@code out[at..)}, zeros for empty slots. */
  static void tasksInto(
      float[] out,
      int at,
      List<? extends TaskView> rq,
      int slots,
      long nowNs,
      boolean hints,
      boolean slack) {
    Arrays.fill(out, at, at + slots * TASK, 0f);
    for (int i = 0; i < Math.min(slots, rq.size()); i++)
      task(out, at + i * TASK, rq.get(i), nowNs, hints, slack);
  }

  static float[] cpus(List<CpuView> cpus, int n) {
    float[] out = new float[n * CPU];
    cpusInto(out, 0, cpus, n);
    return out;
  }

  /** The first {@code n} CPUs at {@code out[base..)}, zeros for missing ones. */
  static void cpusInto(float[] out, int base, List<CpuView> cpus, int n) {
    Arrays.fill(out, base, base + n * CPU, 0f);
    for (int i = 0; i < Math.min(n, cpus.size()); i++) {
      CpuView c = cpus.get(i);
      int at = base + i * CPU;
      out[at] = c.current() == null ? 0 : 1;
      out[at + 1] =
          c.current() == null ? 0 : SchedulerEnv.ln1p(c.current().attainedNs() / 1e3, BOUND);
      out[at + 2] = c.available() ? 1 : 0;
      out[at + 3] = SchedulerEnv.ln1p(c.queueLength(), BOUND);
    }
  }
}
