package dev.ghostgym.abi;

/**
 * TASK_PREEMPT: a runnable task was forced off {@code cpu}, or, when {@code wasLatched}, a
 * committed task was displaced before it ever ran. The task stays runnable, so the agent must queue
 * it again.
 */
public record TaskPreempt(
    long gtid,
    long runtime,
    long cpuSeqnum,
    long agentData,
    int cpu,
    boolean fromSwitchto,
    boolean wasLatched)
    implements TaskPayload {}
