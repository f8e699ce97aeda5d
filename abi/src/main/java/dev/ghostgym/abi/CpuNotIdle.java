package dev.ghostgym.abi;

/**
 * CPU_NOT_IDLE: after a commit of the idle gtid with {@code NEED_CPU_NOT_IDLE}, a non-ghost task
 * took {@code cpu}; {@code nextGtid} identifies it.
 */
public record CpuNotIdle(int cpu, long nextGtid) implements CpuPayload {}
