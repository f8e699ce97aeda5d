package dev.ghostgym.abi;

/**
 * TASK_BLOCKED: the task that ran on {@code cpu} went to sleep; it is not runnable until a
 * TASK_WAKEUP. {@code runtime} is its total CPU time in ns.
 */
public record TaskBlocked(long gtid, long runtime, long cpuSeqnum, int cpu, boolean fromSwitchto)
    implements TaskPayload {}
