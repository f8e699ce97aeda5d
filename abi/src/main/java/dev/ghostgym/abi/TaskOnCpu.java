package dev.ghostgym.abi;

/**
 * TASK_ON_CPU: a task committed with {@code SEND_TASK_ON_CPU} actually started on {@code cpu}.
 * {@code commitTime} is the commit's timestamp in ns (ABI 69 called this message TASK_LATCHED).
 */
public record TaskOnCpu(long gtid, long commitTime, long cpuSeqnum, int cpu)
    implements TaskPayload {}
