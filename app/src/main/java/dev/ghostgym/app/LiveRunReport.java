package dev.ghostgym.app;

import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.ghostfs.EnclaveHandle;
import dev.ghostgym.ghostfs.ProcStat;
import dev.ghostgym.ghostfs.Sys;
import dev.ghostgym.live.LiveEnclave;
import dev.ghostgym.live.LiveMetrics;
import dev.ghostgym.port.Percentiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code ghost-gym live} reports when its command exits: the JSON report ({@code --json}) and
 * the human summary, from the agents' metrics and the command's per-thread CPU times (/proc).
 */
record LiveRunReport(
    List<String> command,
    String policy,
    String enclaveCpus,
    EnclaveHandle enclave,
    PolicyGuard guard,
    Map<String, String> params,
    LiveMetrics.Snapshot metrics,
    long passes,
    long alarms,
    int exit,
    double wall,
    Map<Long, ProcStat> threads,
    LiveEnclave live) {
  Map<String, Object> json() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("mode", "live");
    r.put("command", command);
    r.put("exit_code", exit);
    r.put("enclave", enclave.dir().toString());
    r.put("abi", enclave.abi().number());
    r.put("policy", policy);
    r.put("policy_params", new TreeMap<>(params));
    r.put("fallbacks", guard.fallbacks());
    r.put("cpus", enclaveCpus);
    r.put("agent_passes", passes);
    r.put("messages", metrics.messages());
    r.put("messages_by_type", metrics.messagesByType());
    r.put("txn_outcomes", metrics.txnOutcomes());
    r.put("wakeup_latency_us", Report.percentiles(metrics.waitToRunUs()));
    r.put("watchdog_alarms", alarms);
    r.put("agent_failure", live.failure() == null ? null : live.failure().toString());
    r.put("enclave_destroyed", live.destroyed());
    long hz = clockTicks();
    List<Map<String, Object>> ts = new ArrayList<>();
    for (ProcStat s : threads.values()) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("tid", s.pid());
      t.put("comm", s.comm());
      t.put("utime_s", s.utime() / (double) hz);
      t.put("stime_s", s.stime() / (double) hz);
      t.put("guest_time_s", s.guestTime() / (double) hz);
      t.put("vsize", s.vsize());
      t.put("policy", s.policy());
      t.put("last_cpu", s.processor());
      ts.add(t);
    }
    r.put("threads", ts);
    r.put("wall_seconds", wall);
    return r;
  }

  String summary() {
    long hz = clockTicks();
    long user = 0, sys = 0;
    for (ProcStat s : threads.values()) {
      user += s.utime();
      sys += s.stime();
    }
    Percentiles w = metrics.waitToRunUs();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "ghost-gym live: %s, policy %s, CPUs %s (%s), exit code %d%n",
            String.join(" ", command), policy, enclaveCpus, enclave.dir(), exit));
    sb.append(
        String.format(
            "  %.2f s wall; %,d messages, %,d agent passes%n", wall, metrics.messages(), passes));
    sb.append(
        String.format(
            "  %-12s mean %10.1f  p50 %10.1f  p99 %10.1f  p99.9 %10.1f  (us)%n",
            "wakeup->run", w.mean(), w.p50(), w.p99(), w.p999()));
    sb.append(
        String.format(
            "  threads %d: user %.2f s, system %.2f s%n",
            threads.size(), user / (double) hz, sys / (double) hz));
    sb.append("  txn outcomes: ").append(metrics.txnOutcomes()).append('\n');
    sb.append("  watchdog alarms: ").append(alarms).append('\n');
    if (!guard.fallbacks().isEmpty())
      sb.append("  policy fallbacks (answered by FIFO): ").append(guard.fallbacks()).append('\n');
    return sb.toString();
  }

  private static long clockTicks() {
    try {
      return Sys.clockTicksPerSecond();
    } catch (RuntimeException e) {
      return 100;
    }
  }
}
