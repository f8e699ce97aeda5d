package dev.ghostgym.abi;

/**
 * CPU_TICK: a scheduler tick hit {@code cpu} while a ghost task or agent ran there (with {@code
 * deliver_ticks} on). {@code isAgent} (ABI 90+, a C int; false for ABI 84) says the tick hit the
 * agent.
 */
public record CpuTick(int cpu, boolean isAgent) implements CpuPayload {}
