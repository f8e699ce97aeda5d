package dev.ghostgym.ghostfs.kerneldouble;

/**
 * An armed ghost timerfd: when it fires the kernel sends CPU_TIMER_EXPIRED with {@code type} and
 * {@code cookie} to the agent of {@code cpu}.
 */
public record DoubleTimer(int cpu, long type, long cookie, long atNs) {}
