package dev.ghostgym.abi;

/**
 * A payload of a CPU message (types 128..191). Each starts with the CPU it concerns, and the kernel
 * posts it to the queue of that CPU's agent.
 */
public sealed interface CpuPayload extends Payload
    permits CpuNotIdle, CpuTick, CpuTimerExpired, CpuEvent {

  /** The CPU the message is about. */
  int cpu();
}
