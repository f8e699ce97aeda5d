package dev.ghostgym.learn;

import dev.ghostgym.actors.agent.CentralizedAgents;
import dev.ghostgym.actors.agent.PerCpuAgents;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.gym.sched.PickNextEnv;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Mean response time of a policy on the simulated machine of an environment's options, the run
 * {@code ghost-gym simulate} makes with the same workload, parameters, CPUs, overheads, task count
 * and seed (the environment's episode is that run too). Used for held-out evaluation during
 * training and against the heuristics.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Mean response in microseconds of agents made by {@code agents(seed)}, averaged over {@code
   * seeds}.
   */
  public static double meanResponseUs(
      Map<String, Object> options, long[] seeds, LongFunction<AgentHost> agents) {
    double sum = 0;
    for (long s : seeds) sum += run(options, s, agents.apply(s));
    return sum / seeds.length;
  }

  /** A named policy from the registry ({@code fifo}, {@code shinjuku}, {@code random}, ...). */
  public static double meanResponseUs(Map<String, Object> options, long[] seeds, String policy) {
    return meanResponseUs(options, seeds, s -> Policies.create(policy, Map.of(), s));
  }

  /**
   * The decision cost the training environment charges (option {@code decision_cost_ns}, default
   * 0): held-out evaluation during training charges the learned policy the same.
   */
  public static long decisionCostNs(Map<String, Object> options) {
    Object v = options.get("decision_cost_ns");
    return v == null ? 0 : Long.parseLong(String.valueOf(v).trim());
  }

  /** A policy object under the guard with the usual 1 ms deadline. */
  public static AgentHost agents(Policy p) {
    PolicyGuard g = new PolicyGuard(p, 1_000_000);
    return p.model() == Policy.Model.PER_CPU ? new PerCpuAgents(g) : new CentralizedAgents(g);
  }

  static double run(Map<String, Object> options, long seed, AgentHost agents) {
    Machine m = machine(options, seed, tasks(options), Map.of(), agents);
    m.run();
    return m.metrics().meanResponseNs() / 1e3;
  }

  /**
   * The simulated machine of an environment's options (the setup every run outside an episode
   * shares: evaluation here, distillation in {@code deploy.Distiller}): the options' workload with
   * their workload parameters ({@link PickNextEnv#workloadOverrides}) and then {@code overrides},
   * their CPUs and overheads, {@code seed}, and {@code tasks} tasks; the usual 1 ms CFS tick, no
   * invariant checks.
   */
  public static Machine machine(
      Map<String, Object> options,
      long seed,
      long tasks,
      Map<String, String> overrides,
      AgentHost agents) {
    Map<String, String> params = new LinkedHashMap<>(PickNextEnv.workloadOverrides(options));
    params.putAll(overrides);
    int cpus = cpus(options);
    Workload w =
        Workloads.load(
            String.valueOf(options.getOrDefault("workload", "rocksdb-shinjuku")), params, cpus);
    SimConfig cfg =
        new SimConfig(
            cpus,
            seed,
            Overheads.parse(String.valueOf(options.getOrDefault("overheads", "paper"))),
            1_000_000,
            false,
            SimConfig.cfsMinGranularityNs(cpus),
            tasks,
            0,
            false);
    return new Machine(cfg, w, agents);
  }

  /**
   * Run i of a series of n under {@code p} (centralized agents, no decision deadline) with {@code
   * tasks} tasks, spreading the environment's domain randomisation over the series (what runs
   * outside an episode do: behaviour cloning, distillation): the load {@code random_load} steps
   * evenly over its range, run i % n of every n (its middle when n is 1), and the service mixes of
   * {@code random_service} take turns.
   */
  public static void runSpread(
      Map<String, Object> options, Policy p, long seed, long tasks, int i, int n) {
    Map<String, String> overrides = new LinkedHashMap<>();
    Object range = options.get("random_load");
    if (range != null) {
      String[] lh = String.valueOf(range).trim().split("-");
      double lo = Double.parseDouble(lh[0]);
      double hi = lh.length > 1 ? Double.parseDouble(lh[1]) : lo;
      overrides.put(
          "load", String.valueOf(n == 1 ? (lo + hi) / 2 : lo + (hi - lo) * (i % n) / (n - 1)));
    }
    Object services = options.get("random_service");
    if (services != null) {
      String[] all = String.valueOf(services).split("\\|");
      overrides.put("service", all[i % all.length].trim());
    }
    var agents = new CentralizedAgents(new PolicyGuard(p, Long.MAX_VALUE));
    machine(options, seed, tasks, overrides, agents).run();
  }

  /** The CPU count of an environment's options (4 when absent). */
  public static int cpus(Map<String, Object> options) {
    return Integer.parseInt(String.valueOf(options.getOrDefault("cpus", 4)));
  }

  /** The task count of an environment's options (2,000 when absent). */
  static long tasks(Map<String, Object> options) {
    return Long.parseLong(String.valueOf(options.getOrDefault("tasks", 2000)));
  }
}
