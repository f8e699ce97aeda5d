package dev.ghostgym.emulation;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.Map;

/** The same run in plain simulation and through the emulated kernel. */
final class Runs {
  private Runs() {}

  static SimConfig config(int cpus, long seed, Overheads o, long tasks) {
    return SimConfig.of(cpus, seed, o, tasks).withInvariants(true);
  }

  static Workload workload(String name, Map<String, String> set, int cpus) {
    return Workloads.load(name, set, cpus);
  }

  static SimResult plain(
      String workload, String policy, int cpus, long seed, Overheads o, long tasks) {
    return new Machine(
            config(cpus, seed, o, tasks),
            workload(workload, Map.of(), cpus),
            Policies.create(policy, Map.of(), seed))
        .run();
  }

  static SimResult emulated(
      EmulatedKernel k,
      String workload,
      String policy,
      int cpus,
      long seed,
      Overheads o,
      long tasks) {
    Machine m =
        k.boot(
            config(cpus, seed, o, tasks),
            workload(workload, Map.of(), cpus),
            k.inline(Policies.create(policy, Map.of(), seed), null));
    return m.run();
  }

  static EmulatedKernel kernel(AbiVersion abi, int ringSlots) {
    return new EmulatedKernel(new EmulatedKernel.Options(abi, ringSlots));
  }
}
