package dev.ghostgym.abi;

/**
 * TASK_DEAD: the task exited. Its status word is now CANFREE and the agent must free it. {@code
 * cpu} exists from ABI 90 on (it is 0 when decoding ABI 84).
 */
public record TaskDead(long gtid, int cpu) implements TaskPayload {}
