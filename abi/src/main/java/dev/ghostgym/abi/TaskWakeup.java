package dev.ghostgym.abi;

/**
 * TASK_WAKEUP: a blocked task became runnable. {@code lastRanCpu} is where it last ran, {@code
 * wakeUpCpu} the runqueue the kernel put it on and {@code wakerCpu} the CPU that woke it; {@code
 * deferrable} marks a wakeup the agent may handle lazily.
 */
public record TaskWakeup(
    long gtid, long agentData, boolean deferrable, int lastRanCpu, int wakeUpCpu, int wakerCpu)
    implements TaskPayload {}
