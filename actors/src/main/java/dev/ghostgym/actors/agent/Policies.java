package dev.ghostgym.actors.agent;

import dev.ghostgym.sim.port.AgentHost;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The scheduling policies that can be named on the command line, each a fresh set of agents per
 * run. An unknown name is an error that lists the valid ones.
 */
public final class Policies {
  private static final Map<String, Supplier<AgentHost>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("fifo", PerCpuFifoAgents::new);
    BY_NAME.put("centralized-fifo", CentralizedFifoAgents::new);
  }

  private Policies() {}

  public static List<String> names() { return List.copyOf(BY_NAME.keySet()); }

  public static AgentHost create(String name) {
    Supplier<AgentHost> s = BY_NAME.get(name);
    if (s == null) {
      throw new IllegalArgumentException("policy: expected one of " + names() + ", got '" + name + "'");
    }
    return s.get();
  }
}
