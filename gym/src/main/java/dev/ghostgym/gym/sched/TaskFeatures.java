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

  /** ln(1 + k) for small counts (preemptions, queue lengths), from {@link #ln1p} itself. */
  private static final float[] LN1P_COUNT = new float[256];

  private static final long SQRT_HALF_BITS = Double.doubleToRawLongBits(Math.sqrt(0.5));

  static {
    for (int k = 0; k < LN1P_COUNT.length; k++) LN1P_COUNT[k] = ln1p((double) k);
  }

  /**
   * ln(1 + x) clipped to [0, BOUND], without {@code Math.log}: the agent's inference path writes up
   * to 56 of these per decision, and the library call was a third of the network's time. y = 1 + x
   * = m 2^e with m in [sqrt(1/2), sqrt(2)), found without a branch by counting the exponent from
   * sqrt(1/2)'s bits; ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172, by its odd series to
   * s^11 (truncation below 1e-10, far below a float's precision); ln y = ln m + e ln 2. Training
   * and deployment both use it, so they see the same features.
   */
  static float ln1p(double x) {
    if (!(x > 0)) return 0f; // also NaN
    if (x >= 5.2e21) return BOUND; // e^50
    long ix = Double.doubleToRawLongBits(1 + x) - SQRT_HALF_BITS;
    int e = (int) (ix >> 52);
    double m = Double.longBitsToDouble((ix & 0x000F_FFFF_FFFF_FFFFL) + SQRT_HALF_BITS);
    double s = (m - 1) / (m + 1);
    double z = s * s;
    double series =
        s * (2 + z * (2.0 / 3 + z * (2.0 / 5 + z * (2.0 / 7 + z * (2.0 / 9 + z * (2.0 / 11))))));
    return (float) Math.min(BOUND, series + e * 0.6931471805599453);
  }

  /** {@link #ln1p} of a count, from a table below 256. */
  static float ln1p(int k) {
    return k >= 0 && k < LN1P_COUNT.length ? LN1P_COUNT[k] : ln1p((double) k);
  }

  /**
   * Writes one task's features at {@code out[at..at+TASK)} (the caller zeroes the range first).
   * Deadline slack is written only with {@code slack}: it comes from the workload's deadline, which
   * a live kernel does not report (it reads 0 there), so a model that uses it is marked oracle.
   */
  static void task(float[] out, int at, TaskView t, long nowNs, boolean hints, boolean slack) {
    if (t == null) return;
    out[at] = 1;
    out[at + 1] = ln1p((nowNs - t.runnableSinceNs()) * 1e-3);
    out[at + 2] = ln1p(t.attainedNs() * 1e-3);
    out[at + 3] = ln1p(t.preemptions());
    out[at + 4] = t.nice();
    long deadline = t.deadlineNs();
    if (slack && deadline != Long.MAX_VALUE) {
      double slackUs = (deadline - nowNs) * 1e-3;
      out[at + 5] = (float) Math.copySign(ln1p(Math.abs(slackUs)), slackUs);
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

  /**
   * Each visible task's place in least-attained-service order over the whole run queue (the tasks
   * with less attained service, plus those queued before it with as much), and at {@code out[at +
   * slots]} how many queued tasks have attained less than {@code running} (0 when none runs), each
   * as ln(1 + k); 0 for empty slots. From attained service only, which a ghOSt agent knows (the
   * task's runtime), so it is an honest feature: it makes "run the least-served task first" one
   * comparison with 0 for a network that sees each slot at a fixed position.
   */
  static void lasRanksInto(
      float[] out, int at, List<? extends TaskView> rq, int slots, TaskView running) {
    Arrays.fill(out, at, at + slots + 1, 0f);
    int n = rq.size();
    for (int i = 0; i < Math.min(slots, n); i++) {
      long a = rq.get(i).attainedNs();
      int rank = 0;
      for (int j = 0; j < n; j++) {
        long b = rq.get(j).attainedNs();
        if (b < a || (b == a && j < i)) rank++;
      }
      out[at + i] = ln1p(rank);
    }
    if (running != null) {
      long a = running.attainedNs();
      int less = 0;
      for (int j = 0; j < n; j++) if (rq.get(j).attainedNs() < a) less++;
      out[at + slots] = ln1p(less);
    }
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
      out[at + 1] = c.current() == null ? 0 : ln1p(c.current().attainedNs() * 1e-3);
      out[at + 2] = c.available() ? 1 : 0;
      out[at + 3] = ln1p(c.queueLength());
    }
  }
}
