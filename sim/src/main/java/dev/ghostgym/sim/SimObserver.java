package dev.ghostgym.sim;

/**
 * Watches a run as the kernel's tracepoints would: tasks created, woken, switched in and out of a
 * CPU, agents taking and leaving their CPU, and txn commits. For timelines (Perfetto traces, Gantt
 * charts); the simulation never reads anything back, so an observer cannot change a run. All
 * methods default to nothing; a machine without an observer pays one null check per event.
 *
 * <p>Times are ns of simulated time and never decrease. Per CPU the calls follow the kernel's
 * order: {@link #onStop} of what ran, then {@link #onAgentRun} or {@link #onRun} of what runs next.
 */
public interface SimObserver {
  /** A task was created (TR_ARRIVE): {@code parentGtid} is 0 for a task nobody spawned. */
  default void onTaskNew(long now, long gtid, long parentGtid, String className, boolean enclave) {}

  /** A blocked task woke up (the kernel's try_to_wake_up: sched_waking). */
  default void onWakeup(long now, long gtid) {}

  /** A task is runnable and off CPU from now on (created, woken, preempted or yielded). */
  default void onRunnable(long now, long gtid) {}

  /** {@code gtid} is put on {@code cpu}: in ghOSt ({@code ghost}) or in CFS. */
  default void onRun(long now, int cpu, long gtid, boolean ghost) {}

  /** {@code gtid} leaves {@code cpu} (preempted, yielded, blocked or exiting). */
  default void onStop(long now, int cpu, long gtid) {}

  /** The task exited. */
  default void onExit(long now, long gtid) {}

  /** The agent of {@code cpu} starts an activation: it holds the CPU from now on. */
  default void onAgentRun(long now, int cpu) {}

  /**
   * The agent of {@code cpu} reached its commit point: its work is done, its txns are applied next.
   */
  default void onAgentCommitPoint(long now, int cpu) {}

  /**
   * The agent of {@code cpu} blocked (or died): it gives the CPU back. A spinning agent never does.
   */
  default void onAgentBlock(long now, int cpu) {}

  /** The txn for {@code cpu} was committed: run {@code gtid} (0: unschedule), with its outcome. */
  default void onCommit(long now, int cpu, long gtid, String outcome) {}
}
