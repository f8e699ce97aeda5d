package dev.ghostgym.learn.deploy;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.TaskView;

/**
 * The per-candidate features the distilled tree decides on, read straight from the request in raw
 * units (ns, counts) so that no logarithm is taken on the agent's thread: candidate i < slots is
 * queued task i, candidate {@code slots} is "keep the running task" at a slice expiry. The tree
 * scores each valid candidate and the best one is the answer, so one tree serves every queue
 * length.
 */
final class Candidates {
  static final int KEEP = 0;
  static final int KIND = 1;
  static final int WAITED = 2;
  static final int ATTAINED = 3;
  static final int PREEMPTIONS = 4;
  static final int NICE = 5;
  static final int HINT = 6;
  static final int SLACK = 7;
  static final int RUNNING_ATTAINED = 8;
  static final int QUEUE = 9;
  static final int INDEX = 10;
  static final int COUNT = 11;
  static final String[] NAMES = {
    "keep",
    "kind",
    "waited_ns",
    "attained_ns",
    "preemptions",
    "nice",
    "hint",
    "slack_ns",
    "running_attained_ns",
    "queue",
    "index"
  };

  private Candidates() {}

  /**
   * Of candidate {@code c}'s features (task {@code t}; {@code c == slots} is "keep", the running
   * task), those that differ between the candidates of a decision and that {@code reads} (indexed
   * by feature) asks for, into {@code x}; {@link #writeShared} writes the others once per decision.
   * Each value equals {@link #write}'s.
   */
  static void writeOwn(
      TaskView t,
      long now,
      int c,
      int slots,
      boolean hints,
      boolean slack,
      boolean[] reads,
      double[] x) {
    x[KEEP] = c == slots ? 1 : 0;
    x[INDEX] = c;
    if (reads[WAITED]) x[WAITED] = Math.max(0, now - t.runnableSinceNs());
    if (reads[ATTAINED]) x[ATTAINED] = t.attainedNs();
    if (reads[PREEMPTIONS]) x[PREEMPTIONS] = t.preemptions();
    if (reads[NICE]) x[NICE] = t.nice();
    if (reads[HINT]) x[HINT] = hints ? t.hint() : 0;
    if (reads[SLACK]) {
      long d = t.deadlineNs();
      x[SLACK] = slack && d != Long.MAX_VALUE ? d - now : 0;
    }
  }

  /** The features every candidate of a decision shares, as {@link #write} computes them. */
  static void writeShared(DecisionRequest r, double[] x) {
    boolean slice = r.kind() == DecisionRequest.Kind.SLICE;
    x[KIND] = slice ? 1 : 0;
    x[RUNNING_ATTAINED] = slice && r.task() != null ? r.task().attainedNs() : 0;
    x[QUEUE] = r.runQueue().size();
  }

  /**
   * Writes candidate {@code c}'s features into {@code x}; the hint only with {@code hints}, the
   * deadline slack only with {@code slack} (a simulator-only feature), as in the observation.
   */
  static void write(DecisionRequest r, int c, int slots, boolean hints, boolean slack, double[] x) {
    boolean keep = c == slots;
    boolean slice = r.kind() == DecisionRequest.Kind.SLICE;
    TaskView t = keep ? r.task() : r.runQueue().get(c);
    long now = r.nowNs();
    x[KEEP] = keep ? 1 : 0;
    x[KIND] = slice ? 1 : 0;
    x[WAITED] = Math.max(0, now - t.runnableSinceNs());
    x[ATTAINED] = t.attainedNs();
    x[PREEMPTIONS] = t.preemptions();
    x[NICE] = t.nice();
    x[HINT] = hints ? t.hint() : 0;
    long d = t.deadlineNs();
    x[SLACK] = slack && d != Long.MAX_VALUE ? d - now : 0;
    x[RUNNING_ATTAINED] = slice && r.task() != null ? r.task().attainedNs() : 0;
    x[QUEUE] = r.runQueue().size();
    x[INDEX] = c; // the network has weights per slot, so its preference depends on the position
  }
}
