package dev.ghostgym.actors.agent;

import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.Map;
import java.util.function.Supplier;

/** Small helpers for running a simulation in tests, always with the invariant checker on. */
final class SimRuns {
  private SimRuns() {}

  static SimResult run(
      String workload,
      Map<String, String> set,
      int cpus,
      long tasks,
      long seed,
      Overheads o,
      Supplier<AgentHost> agents) {
    Workload w = Workloads.load(workload, set, cpus);
    SimConfig cfg = SimConfig.of(cpus, seed, o, tasks).withInvariants(true);
    return new Machine(cfg, w, agents.get()).run();
  }
}
