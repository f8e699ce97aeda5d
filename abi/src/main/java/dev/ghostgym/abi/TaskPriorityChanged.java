package dev.ghostgym.abi;

/** TASK_PRIORITY_CHANGED (ABI 84+): the task's nice value is now {@code nice}. */
public record TaskPriorityChanged(long gtid, int nice) implements TaskPayload {}
