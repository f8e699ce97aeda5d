package dev.ghostgym.actors.policy;

import java.util.List;

/**
 * One question to a policy.
 *
 * @param id increasing number of the request within a run (stale answers are detectable)
 * @param kind which decision is asked for
 * @param trigger the kernel message (or agent event) that caused it
 * @param cpu the CPU concerned (the one choosing, the per-CPU queue inserted into, or whose slice
 *     expired); -1 when none is (placement, the centralized shared queue, arrival preemption)
 * @param task the task concerned (placement, insertion, the running task whose slice expired,
 *     arrival preemption), or null for PICK
 * @param runQueue the run queue concerned, head first (not to be modified)
 * @param cpus a snapshot of every enclave CPU
 * @param nowNs the time of the decision
 */
public record DecisionRequest(
    long id,
    Kind kind,
    Trigger trigger,
    int cpu,
    TaskView task,
    List<? extends TaskView> runQueue,
    List<CpuView> cpus,
    long nowNs) {
  /** The decisions a policy makes. */
  public enum Kind {
    /** Which CPU should this task run on? Answer: a CPU id from {@code cpus}. */
    PLACE,
    /** Where in {@code runQueue} should this task go? Answer: 0..runQueue.size(). */
    INSERT,
    /** Which queued task runs now on {@code cpu}? Answer: an index into runQueue, or -1 to idle. */
    PICK,
    /** {@code cpu}'s slice expired: preempt its task? Answer: 1 preempt, 0 keep. */
    SLICE,
    /**
     * {@code task} arrived and no CPU is free: which CPU's task should it displace? Answer: a CPU
     * or -1.
     */
    PREEMPT
  }

  /**
   * Why a decision is asked: the kernel message the agent was handling (named after ghOSt's message
   * types) or the agent's own event. Policies and environments switch on it (the seed environment
   * exposes only some triggers), so it is a closed set: a new trigger is a compile error in every
   * exhaustive switch, not a string that silently matches nothing.
   */
  public enum Trigger {
    /** MSG_TASK_NEW of a runnable task. */
    TASK_NEW,
    /** MSG_TASK_WAKEUP of a task that already had a CPU. */
    TASK_WAKEUP,
    /**
     * MSG_TASK_WAKEUP of a task that never had a CPU: placed like a new one (the seed's
     * MigrateWithHint).
     */
    TASK_WAKEUP_FIRST,
    /** MSG_TASK_PREEMPT: the task goes back to a run queue. */
    TASK_PREEMPT,
    /** MSG_TASK_YIELD: the task goes back to a run queue. */
    TASK_YIELD,
    /**
     * MSG_TASK_BLOCKED (asked only by the seed prototype's bridge, which forwards every callback).
     */
    TASK_BLOCKED,
    /** MSG_TASK_DEPARTED (seed bridge only, as TASK_BLOCKED). */
    TASK_DEPARTED,
    /** MSG_TASK_DEAD (seed bridge only, as TASK_BLOCKED). */
    TASK_DEAD,
    /** The agent's txn for the task failed: the task is queued again, boosted. */
    TXN_FAILED,
    /** A CPU has nothing running: which task gets it. */
    CPU_IDLE,
    /** A running task's time slice expired (centralized agents' timer). */
    SLICE,
    /** A task arrived and no CPU is free (policies that preempt on arrival). */
    ARRIVAL,
    /**
     * A task that sat a scheduling round out (still on a CPU, or with messages the agent has not
     * seen: ghost-userspace's centralized agents skip it) is queued again after the round.
     */
    SKIPPED
  }
}
