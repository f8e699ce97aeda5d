package dev.ghostgym.abi;

/**
 * TASK_SWITCHTO: the task handed {@code cpu} directly to another via Google's internal switchto
 * syscall. No wakeup accompanies it; ghost-gym only needs to decode it.
 */
public record TaskSwitchto(long gtid, long runtime, long cpuSeqnum, int cpu)
    implements TaskPayload {}
