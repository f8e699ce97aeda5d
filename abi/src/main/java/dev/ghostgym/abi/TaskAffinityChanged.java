package dev.ghostgym.abi;

/**
 * TASK_AFFINITY_CHANGED: {@code sched_setaffinity} changed the task's allowed CPUs. The payload
 * carries no mask, so an agent that cares reads the affinity itself.
 */
public record TaskAffinityChanged(long gtid) implements TaskPayload {}
