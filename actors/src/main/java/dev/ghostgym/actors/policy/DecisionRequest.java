package dev.ghostgym.actors.policy;

import java.util.List;

/**
 * One question to a policy.
 *
 * @param id       increasing number of the request within a run (stale answers are detectable)
 * @param kind     which decision is asked for
 * @param trigger  the kernel message (or event) that caused it, e.g. "TASK_NEW", "SLICE", "CPU_IDLE"
 * @param cpu      the CPU concerned (the one choosing, or whose slice expired); -1 for placement
 * @param task     the task concerned (placement, insertion, arrival preemption), or null for PICK
 * @param runQueue the run queue concerned, head first (not to be modified)
 * @param cpus     a snapshot of every enclave CPU
 * @param nowNs    the time of the decision
 */
public record DecisionRequest(long id, Kind kind, String trigger, int cpu, TaskView task,
                              List<? extends TaskView> runQueue, List<CpuView> cpus, long nowNs) {
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
    /** {@code task} arrived and no CPU is free: which CPU's task should it displace? Answer: a CPU or -1. */
    PREEMPT
  }
}
