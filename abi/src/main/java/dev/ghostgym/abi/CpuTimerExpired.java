package dev.ghostgym.abi;

/**
 * CPU_TIMER_EXPIRED: a ghost timerfd armed for {@code cpu} fired; {@code type} and {@code cookie}
 * are the agent's own values from {@code timerfd_ghost}, echoed back.
 */
public record CpuTimerExpired(int cpu, long type, long cookie) implements CpuPayload {}
