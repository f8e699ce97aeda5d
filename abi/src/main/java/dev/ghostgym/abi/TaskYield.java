package dev.ghostgym.abi;

/**
 * TASK_YIELD: the task called {@code sched_yield} on {@code cpu} and is now really off it. It stays
 * runnable, so the agent must queue it again.
 */
public record TaskYield(
    long gtid, long runtime, long cpuSeqnum, long agentData, int cpu, boolean fromSwitchto)
    implements TaskPayload {}
