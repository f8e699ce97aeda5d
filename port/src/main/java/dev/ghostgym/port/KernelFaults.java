package dev.ghostgym.port;

/**
 * What the kernel does when an agent dies or the enclave is destroyed (docs/KERNEL-MODEL.md
 * sections 2.10 and 2.11). The simulator's machine implements it, so that the actor deployment can
 * report its agents' crashes and an enclave destruction to the kernel without depending on the
 * simulator; in live mode the kernel sees the agent thread die by itself.
 */
public interface KernelFaults {
  /** The agent of {@code cpu} is gone: its pending txns fail, no new ghOSt task runs there. */
  void killAgent(int cpu);

  /** Every agent dies and every task goes back to CFS with TASK_DEPARTED. */
  void destroyEnclave();
}
