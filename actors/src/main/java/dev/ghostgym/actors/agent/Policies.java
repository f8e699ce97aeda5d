package dev.ghostgym.actors.agent;

import dev.ghostgym.actors.policy.Cfs;
import dev.ghostgym.actors.policy.Fifo;
import dev.ghostgym.actors.policy.ForwardingPolicy;
import dev.ghostgym.actors.policy.Las;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.RandomPolicy;
import dev.ghostgym.actors.policy.Ranked;
import dev.ghostgym.actors.policy.TimeSlice;
import dev.ghostgym.config.Durations;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scheduling policies that can be named on the command line, with their parameters ({@code
 * --set policy.slice=30us}), each built with the agents its model needs. Unknown names and
 * parameters are errors that list the valid ones.
 */
public final class Policies {
  /**
   * Parameters every policy takes: the decision deadline and the simulated decision cost ({@code
   * decision_cost}, a duration or {@code none}; {@code cost} is its older name); and {@code
   * sync_group} ({@code true}/{@code false}, default false): a centralized global agent commits
   * each pass's txns as one GHOST_IOC_SYNC_GROUP_TXN, all or nothing, instead of one COMMIT_TXN
   * (per-CPU agents commit one CPU per call, where the two are the same).
   */
  private static final Set<String> COMMON =
      Set.of("deadline", "decision_cost", "cost", "seed", "sync_group");

  /**
   * The documented default decision cost of a heuristic, charged per decision by the commands
   * ({@link #withDefaultCost}) with the paper's overheads: a choice over a run queue in a C++ agent
   * takes tens of ns (the paper's Table 3 overheads already include the agent's loop, so this is
   * the policy's own choice only). Library callers of {@link #create} charge what they pass.
   */
  public static final long HEURISTIC_DECISION_NS = 50;

  private record Entry(String description, Set<String> params, Factory factory) {}

  private interface Factory {
    Policy make(Params p);
  }

  private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

  static {
    add(
        "fifo",
        "ghOSt's per-CPU FIFO: round-robin placement, FIFO per CPU, no slice",
        Set.of(),
        p -> new Fifo(Policy.Model.PER_CPU));
    add(
        "centralized-fifo",
        "ghost-userspace's centralized FIFO: one global agent, one shared queue,"
            + " woken and preempted tasks first",
        Set.of(),
        p -> new Fifo(Policy.Model.CENTRALIZED));
    add(
        "rr",
        "centralized round robin, slice (policy.slice) 1ms",
        Set.of("slice"),
        p -> new TimeSlice("rr", p.nanos("slice", 1_000_000)));
    add(
        "shinjuku",
        "ghost-userspace's Shinjuku agent: 30us slice polled from the commit, never"
            + " renewed; woken and preempted tasks first",
        Set.of("slice"),
        p -> TimeSlice.shinjuku(p.nanos("slice", 30_000)));
    add(
        "shinjuku-paper",
        "the paper's ghOSt-Shinjuku: 30us slice, preempted requests to the back",
        Set.of("slice"),
        p -> TimeSlice.shinjukuPaper(p.nanos("slice", 30_000)));
    add(
        "cfs",
        "vruntime with nice weights, min granularity (policy.slice) 3ms",
        Set.of("slice"),
        p -> new Cfs(p.nanos("slice", 3_000_000)));
    add(
        "edf",
        "earliest deadline first (from the workload), preemptive",
        Set.of(),
        p -> Ranked.edf());
    add("sjf", "shortest job first (ORACLE: reads true job sizes)", Set.of(), p -> Ranked.sjf());
    add(
        "srpt",
        "shortest remaining processing time, preemptive (ORACLE)",
        Set.of(),
        p -> Ranked.srpt());
    add("random", "a random queued task runs next", Set.of(), p -> new RandomPolicy(p.seed));
    add(
        "las",
        "least attained service (FB) first, preempts at quantum (policy.quantum) 30us expiry",
        Set.of("quantum"),
        p -> new Las(p.nanos("quantum", 30_000)));
  }

  private static void add(String name, String description, Set<String> params, Factory f) {
    BY_NAME.put(name, new Entry(description, params, f));
  }

  private Policies() {}

  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** Name -> one-line description, for listings. */
  public static Map<String, String> descriptions() {
    Map<String, String> m = new LinkedHashMap<>();
    BY_NAME.forEach((k, v) -> m.put(k, v.description()));
    return m;
  }

  /** The policy alone (no agents), e.g. for hot swap. */
  public static Policy policy(String name, Map<String, String> params, long seed) {
    Entry e = BY_NAME.get(name);
    if (e == null)
      throw new IllegalArgumentException(
          "policy: expected one of " + names() + ", got '" + name + "'");
    for (String k : params.keySet()) {
      if (!COMMON.contains(k) && !e.params().contains(k)) {
        Set<String> ok = new TreeSet<>(COMMON);
        ok.addAll(e.params());
        throw new IllegalArgumentException(
            "policy."
                + k
                + ": policy "
                + name
                + " has no parameter '"
                + k
                + "'; its parameters are "
                + ok.stream().map(x -> "policy." + x).toList());
      }
    }
    Params p = new Params(params, seed);
    Policy base = e.factory().make(p);
    long cost = decisionCostNs(params);
    return cost == 0 ? base : new Costed(base, cost);
  }

  /** policy.decision_cost (or policy.cost) in ns; {@code none} and absent are 0. */
  public static long decisionCostNs(Map<String, String> params) {
    String v =
        params.containsKey("decision_cost") ? params.get("decision_cost") : params.get("cost");
    if (v == null || v.equals("none")) return 0;
    long ns = Durations.parseNanos(v, "policy.decision_cost");
    if (ns < 0)
      throw new IllegalArgumentException(
          "policy.decision_cost: expected a duration >= 0 or none, got '" + v + "'");
    return ns;
  }

  /** True when the parameters name a decision cost (a duration, or the explicit opt-out none). */
  public static boolean costGiven(Map<String, String> params) {
    return params.containsKey("decision_cost") || params.containsKey("cost");
  }

  /**
   * {@code params} with the default decision cost added where none is given: {@link
   * #HEURISTIC_DECISION_NS} with the paper's overheads, 0 for the ideal agent ({@code none}).
   */
  public static Map<String, String> withDefaultCost(
      Map<String, String> params, boolean paperOverheads) {
    if (costGiven(params)) return params;
    Map<String, String> m = new LinkedHashMap<>(params);
    m.put("decision_cost", (paperOverheads ? HEURISTIC_DECISION_NS : 0) + "ns");
    return m;
  }

  /**
   * Agents running {@code name} with its parameters; the guard's deadline is policy.deadline
   * (default 1ms).
   */
  public static AgentEngine create(String name, Map<String, String> params, long seed) {
    Policy policy = policy(name, params, seed);
    PolicyGuard guard =
        new PolicyGuard(policy, new Params(params, seed).nanos("deadline", 1_000_000));
    String sync = params.getOrDefault("sync_group", "false");
    if (!sync.equals("true") && !sync.equals("false"))
      throw new IllegalArgumentException(
          "policy.sync_group: expected true or false, got '" + sync + "'");
    return policy.model() == Policy.Model.PER_CPU
        ? new PerCpuAgents(guard)
        : new CentralizedAgents(guard, sync.equals("true"));
  }

  public static AgentEngine create(String name) {
    return create(name, Map.of(), 1);
  }

  private static final class Params {
    final Map<String, String> values;
    final long seed;

    Params(Map<String, String> values, long seed) {
      this.values = new HashMap<>(values);
      this.seed = values.containsKey("seed") ? Long.parseLong(values.get("seed")) : seed;
    }

    long nanos(String key, long dflt) {
      String v = values.get(key);
      return v == null ? dflt : Durations.parseNanos(v, "policy." + key);
    }
  }

  /** A policy that takes simulated time to decide (to exercise deadlines). */
  private static final class Costed extends ForwardingPolicy {
    private final long costNs;

    Costed(Policy inner, long costNs) {
      super(inner);
      this.costNs = costNs;
    }

    @Override
    public long decisionCostNs() {
      return costNs;
    }
  }
}
