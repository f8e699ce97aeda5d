package dev.ghostgym.app;

import dev.ghostgym.port.Percentiles;
import dev.ghostgym.sim.SimResult;
import dev.ghostgym.sim.metrics.RunMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The result of a run as a JSON tree and as a short readable summary. */
final class Report {
  private Report() {}

  /** The JSON document of {@code simulate --json}. Keys are documented in the README. */
  static Map<String, Object> json(RunSpec spec, SimResult r, double wallSeconds) {
    RunMetrics x = r.metrics();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workload", spec.workload());
    m.put("workload_params", new TreeMap<>(spec.params()));
    m.put("policy", spec.policy());
    m.put("policy_params", new TreeMap<>(spec.policyParams()));
    m.put("oracle", spec.oracle());
    m.put("decision_cost_ns", spec.decisionCostNs());
    m.put("decision_cost", spec.decisionCost());
    m.put("fallbacks", spec.fallbacks());
    m.put("deployment", spec.deployment());
    m.put("agent_restarts", spec.agentRestarts());
    m.put("enclave_failures", spec.enclaveFailures());
    m.put("cpus", spec.cpus());
    m.put("seed", spec.seed());
    m.put("overheads", spec.overheads());
    m.put("simulated_ns", r.endNs());
    m.put("tasks_arrived", x.arrived());
    m.put("tasks_completed", x.completed());
    m.put("tasks_departed", x.departed());
    m.put("tasks_running", r.stillRunning());
    m.put("stopped", r.stopped()); // null for a run that reached its end
    m.put("response_us", percentiles(x.response()));
    m.put("wait_us", percentiles(x.waitTime()));
    m.put("wakeup_latency_us", percentiles(x.wakeupLatency()));
    m.put("slowdown", percentiles(x.slowdown()));
    m.put("utilization", r.utilization());
    m.put("agent_overhead_share", r.agentShare());
    List<Map<String, Object>> perCpu = new java.util.ArrayList<>();
    for (SimResult.CpuTime t : r.perCpu()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("cpu", t.cpu());
      c.put("ghost_ns", t.ghostNs());
      c.put("cfs_ns", t.cfsNs());
      c.put("agent_ns", t.agentNs());
      c.put("idle_ns", t.idleNs());
      perCpu.add(c);
    }
    m.put("per_cpu", perCpu);
    m.put("throughput_per_s", r.throughputPerS());
    m.put("mean_in_system", r.meanInSystem());
    m.put("preemptions", x.preemptions());
    m.put("migrations", x.migrations());
    m.put("agent_activations", x.agentActivations());
    m.put("messages", x.messagesTotal());
    m.put("messages_by_type", x.messagesByType());
    m.put("txn_outcomes", x.txnOutcomes());
    m.put("trace_records", r.traceRecords());
    m.put("trace_sha256", r.traceSha256());
    m.put("wall_seconds", wallSeconds);
    return m;
  }

  /** A latency distribution as a JSON object (also used by the live command's report). */
  static Map<String, Object> percentiles(Percentiles p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", p.count());
    m.put("mean", p.mean());
    m.put("p50", p.p50());
    m.put("p99", p.p99());
    m.put("p999", p.p999());
    m.put("max", p.max());
    return m;
  }

  static String summary(RunSpec spec, SimResult r, double wallSeconds) {
    RunMetrics x = r.metrics();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "ghost-gym simulate: %s, policy %s%s%s, %d CPUs, seed %d, overheads %s, agents as %s%n",
            spec.workload(),
            spec.policy(),
            spec.policyParams().isEmpty() ? "" : " " + spec.policyParams(),
            spec.oracle() ? " (ORACLE: reads what only the simulator knows)" : "",
            spec.cpus(),
            spec.seed(),
            spec.overheads(),
            spec.deployment()));
    sb.append(
        String.format(
            "  decision cost charged: %,d ns per decision, %s%n",
            spec.decisionCostNs(), spec.decisionCost()));
    sb.append(
        String.format(
            "  simulated %.3f s in %.2f s wall; %,d messages (%,.0f per wall second)%n",
            r.endNs() / 1e9,
            wallSeconds,
            x.messagesTotal(),
            x.messagesTotal() / Math.max(1e-9, wallSeconds)));
    sb.append(
        String.format(
            "  tasks: %,d arrived = %,d completed + %,d departed + %,d running%n",
            x.arrived(), x.completed(), x.departed(), r.stillRunning()));
    if (r.wasStopped()) sb.append("  STOPPED before its end: ").append(r.stopped()).append('\n');
    sb.append(line("response", x.response()));
    sb.append(line("wait", x.waitTime()));
    sb.append(line("wakeup->run", x.wakeupLatency()));
    Percentiles s = x.slowdown();
    sb.append(
        String.format(
            "  %-12s mean %10.2f  p50 %10.2f  p99 %10.2f  p99.9 %10.2f%n",
            "slowdown", s.mean(), s.p50(), s.p99(), s.p999()));
    sb.append(
        String.format(
            "  utilization %.3f, agent overhead %.3f, throughput %,.0f/s, preemptions %,d%n",
            r.utilization(), r.agentShare(), r.throughputPerS(), x.preemptions()));
    sb.append("  txn outcomes: ").append(x.txnOutcomes()).append('\n');
    if (!spec.fallbacks().isEmpty())
      sb.append("  policy fallbacks (answered by FIFO): ").append(spec.fallbacks()).append('\n');
    if (spec.enclaveFailures() > 0)
      sb.append("  enclave destroyed: its agents kept failing; tasks fell back to CFS\n");
    sb.append("  trace sha256: ").append(r.traceSha256()).append('\n');
    return sb.toString();
  }

  private static String line(String name, Percentiles p) {
    return String.format(
        "  %-12s mean %10.1f  p50 %10.1f  p99 %10.1f  p99.9 %10.1f  (us)%n",
        name, p.mean(), p.p50(), p.p99(), p.p999());
  }
}
