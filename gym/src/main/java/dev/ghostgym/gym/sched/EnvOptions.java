package dev.ghostgym.gym.sched;

import dev.ghostgym.config.Durations;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The options every scheduling environment takes, read from a Gymnasium-style options map: {@code
 * workload}, {@code cpus}, {@code overheads}, {@code reward}, {@code tasks} or {@code duration}
 * (episode length), {@code invalid_action}, {@code p99_target}, {@code policy_fallback} (the
 * registered policy that answers what a step does not, and invalid actions; it must fit the
 * environment's agents: per-CPU or centralized), {@code random_load} and {@code random_service}
 * ({@link Randomization}), {@code decision_cost_ns} (simulated agent time charged per decision, the
 * deployed policy's calibrated cost; default 0); any other key is a workload parameter override
 * ({@code load}, {@code service}, ...) given as written.
 */
record EnvOptions(
    String workload,
    int cpus,
    String overheads,
    Rewards.Kind reward,
    long tasks,
    long durationNs,
    boolean terminateOnInvalid,
    double p99TargetNs,
    String policyFallback,
    long decisionCostNs,
    Map<String, String> workloadOverrides,
    Map<String, Object> extra) {

  static final String DECISION_COST = "decision_cost_ns";

  static final Set<String> COMMON =
      Set.of(
          "workload",
          "cpus",
          "overheads",
          "reward",
          "tasks",
          "duration",
          "invalid_action",
          "p99_target",
          "policy_fallback",
          DECISION_COST,
          Randomization.LOAD,
          Randomization.SERVICE);

  /**
   * @param own option names the environment itself reads (kept in {@code extra})
   */
  static EnvOptions parse(Map<String, Object> options, Set<String> own) {
    Map<String, Object> o = options == null ? Map.of() : options;
    String workload = String.valueOf(o.getOrDefault("workload", "rocksdb-shinjuku"));
    int cpus = intOption(o, "cpus", 4);
    if (cpus < 1 || cpus > 256)
      throw new IllegalArgumentException("cpus: expected 1..256, got " + cpus);
    String overheads = String.valueOf(o.getOrDefault("overheads", "paper"));
    Rewards.Kind reward = Rewards.Kind.parse(String.valueOf(o.getOrDefault("reward", "wait")));
    long duration =
        o.containsKey("duration")
            ? Durations.parseNanos(String.valueOf(o.get("duration")), "duration")
            : 0;
    long tasks = o.containsKey("tasks") ? longOption(o, "tasks", 0) : (duration > 0 ? 0 : 2000);
    if (tasks < 0) throw new IllegalArgumentException("tasks: expected >= 0, got " + tasks);
    String invalid = String.valueOf(o.getOrDefault("invalid_action", "mask"));
    if (!invalid.equals("mask") && !invalid.equals("terminate")) {
      throw new IllegalArgumentException(
          "invalid_action: expected mask or terminate, got '" + invalid + "'");
    }
    double target =
        o.containsKey("p99_target")
            ? Durations.parseNanos(String.valueOf(o.get("p99_target")), "p99_target")
            : 1e6;
    long cost = longOption(o, DECISION_COST, 0);
    if (cost < 0 || cost > 1_000_000_000L) {
      throw new IllegalArgumentException(
          DECISION_COST + ": expected 0..1000000000 ns, got " + cost);
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    Map<String, Object> extra = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o.entrySet()) {
      if (COMMON.contains(e.getKey())) continue;
      if (own.contains(e.getKey())) extra.put(e.getKey(), e.getValue());
      else overrides.put(e.getKey(), String.valueOf(e.getValue()));
    }
    Object fallback = o.get("policy_fallback");
    return new EnvOptions(
        workload,
        cpus,
        overheads,
        reward,
        tasks,
        duration,
        invalid.equals("terminate"),
        target,
        fallback == null ? null : String.valueOf(fallback),
        cost,
        overrides,
        extra);
  }

  int intExtra(String key, int dflt) {
    return intOption(extra, key, dflt);
  }

  static int intOption(Map<String, Object> o, String key, int dflt) {
    Object v = o.get(key);
    if (v == null) return dflt;
    try {
      return v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": expected an integer, got '" + v + "'");
    }
  }

  static long longOption(Map<String, Object> o, String key, long dflt) {
    Object v = o.get(key);
    if (v == null) return dflt;
    try {
      return v instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": expected an integer, got '" + v + "'");
    }
  }
}
