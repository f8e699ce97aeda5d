package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.cfs;
import static dev.ghostgym.sim.Kit.config;
import static dev.ghostgym.sim.Kit.ghost;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.abi.CpuEvent;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * CPU_BUSY and CPU_AVAILABLE (KERNEL-MODEL.md 2.2 and 2.9 (5), from handle_cpu_availability in the
 * kernel's ghost.c, called from pnt_prologue and prepare_task_switch): with the enclave tunable
 * deliver_cpu_availability, the agent of a CPU hears when a higher class takes the CPU and when it
 * leaves; without it, only the CPU_AVAIL flag of the agent's word changes.
 */
class CpuAvailabilityTest {

  /** The per-CPU test agents, with the tunable set (or not) by the agent process at attach. */
  private static List<String> scenario(boolean tunable) {
    ScriptAgents a = new ScriptAgents(0);
    a.with(new Fifo(a));
    AgentHost host =
        new AgentHost() {
          @Override
          public void attach(KernelPort port) {
            port.deliverCpuAvailability(tunable);
            a.attach(port);
          }

          @Override
          public void activate(int cpu, KernelPort port) {
            a.activate(cpu, port);
          }
        };
    // CFS task 2 takes CPU 0 from 1 ms to 2 ms (the ghOSt task 1 is preempted and resumes).
    new Machine(config(2), workload(at(ghost(run(3 * MS)), 0), at(cfs(run(MS)), MS)), host).run();
    Function<ScriptAgents.Delivered, String> show =
        d ->
            d.msg().type()
                + "@"
                + d.at()
                + " cpu"
                + d.payload(CpuEvent.class).cpu()
                + " #"
                + d.seqnum();
    List<String> out = new java.util.ArrayList<>();
    for (var d : a.ofType(MessageType.CPU_BUSY)) out.add(show.apply(d));
    for (var d : a.ofType(MessageType.CPU_AVAILABLE)) out.add(show.apply(d));
    return out;
  }

  @Test
  void withTheTunableTheAgentHearsWhenCfsTakesAndLeavesItsCpu() {
    List<String> got = scenario(true);
    assertEquals(2, got.size(), got.toString());
    assertEquals(true, got.get(0).startsWith("CPU_BUSY@1000000 cpu0"), got.toString());
    assertEquals(true, got.get(1).startsWith("CPU_AVAILABLE@2000000 cpu0"), got.toString());
  }

  @Test
  void withoutItNothingIsProduced() {
    assertEquals(List.of(), scenario(false));
  }
}
