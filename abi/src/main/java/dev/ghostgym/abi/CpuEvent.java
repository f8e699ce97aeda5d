package dev.ghostgym.abi;

/**
 * The shared payload of CPU_AVAILABLE, CPU_BUSY, CPU_AGENT_BLOCKED and CPU_AGENT_WAKEUP, which all
 * carry just the CPU; the enclosing {@link Message}'s type says which event happened.
 */
public record CpuEvent(int cpu) implements CpuPayload {}
