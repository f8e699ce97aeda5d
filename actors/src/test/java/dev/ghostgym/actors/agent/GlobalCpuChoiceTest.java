package dev.ghostgym.actors.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.actors.policy.Fifo;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.port.KernelPort;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/**
 * Where the centralized agents put their global agent: on a CPU of the enclave, unless the machine
 * keeps a CPU for it (the simulator's ideal agent). A machine with CPUs outside the enclave (a live
 * enclave on CPUs 1-2 of 4) must not get CPU 3, where `become agent` fails with EINVAL.
 */
class GlobalCpuChoiceTest {

  /** A kernel port that only answers the machine's and the enclave's CPUs. */
  private static KernelPort machine(int cpus, int... enclave) {
    return machineWithSpare(cpus, -1, enclave);
  }

  /** The same with {@code spare} kept for the global agent (the simulator's ideal agent). */
  private static KernelPort machineWithSpare(int cpus, int spare, int... enclave) {
    return (KernelPort)
        Proxy.newProxyInstance(
            KernelPort.class.getClassLoader(),
            new Class<?>[] {KernelPort.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "cpus" -> cpus;
                  case "enclaveCpus" -> enclave.clone();
                  case "spareAgentCpu" -> spare;
                  default -> {
                    Class<?> r = method.getReturnType();
                    if (r == int.class) yield 0;
                    if (r == long.class) yield 0L;
                    if (r == boolean.class) yield false;
                    yield null;
                  }
                });
  }

  private static int globalOf(KernelPort port) {
    CentralizedAgents a =
        new CentralizedAgents(new PolicyGuard(new Fifo(Policy.Model.CENTRALIZED), 1_000_000));
    a.attach(port);
    return a.globalCpu();
  }

  @Test
  void theGlobalAgentSitsOnAnEnclaveCpu() {
    assertEquals(2, globalOf(machine(4, 1, 2)), "the enclave's last CPU, not the machine's");
    assertEquals(3, globalOf(machine(4, 1, 2, 3)));
    assertEquals(0, globalOf(machine(4, 0, 1, 2, 3)), "a whole-machine enclave: its first CPU");
    assertEquals(
        4, globalOf(machineWithSpare(5, 4, 0, 1, 2, 3)), "the CPU kept for an ideal agent");
  }
}
