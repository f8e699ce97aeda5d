package dev.ghostgym.abi;

/**
 * TASK_DEPARTED: the task left the ghost class. Its messages stay suppressed until the agent frees
 * its status word; {@code wasCurrent} says it was running on {@code cpu} when it left.
 */
public record TaskDeparted(
    long gtid, long cpuSeqnum, int cpu, boolean fromSwitchto, boolean wasCurrent)
    implements TaskPayload {}
