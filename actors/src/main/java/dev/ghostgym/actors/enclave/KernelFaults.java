package dev.ghostgym.actors.enclave;

import dev.ghostgym.sim.Machine;

/**
 * What the kernel does when an agent dies or the enclave is destroyed (docs/KERNEL-MODEL.md
 * sections 2.10 and 2.11). In sim mode the {@link Machine} does it when the enclave's actors crash
 * or are told to destroy; in live mode the kernel sees the agent thread die by itself.
 */
public interface KernelFaults {
  /** The agent of {@code cpu} is gone: its pending txns fail, no new ghOSt task runs there. */
  void killAgent(int cpu);

  /** Every agent dies and every task goes back to CFS with TASK_DEPARTED. */
  void destroyEnclave();

  static KernelFaults of(Machine machine) {
    return new KernelFaults() {
      @Override
      public void killAgent(int cpu) {
        machine.killAgent(cpu);
      }

      @Override
      public void destroyEnclave() {
        machine.destroyEnclave();
      }
    };
  }
}
