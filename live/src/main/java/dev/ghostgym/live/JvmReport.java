package dev.ghostgym.live;

import dev.ghostgym.port.Percentiles;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM's part of a live run, for {@code ghost-gym live}'s report and the long emulated run: the
 * collector and the JVM flags, GC pauses and safepoints ({@link JvmPauses}), the agents' pass times
 * with the worst pass ({@link PassTimes}), and the JIT warm-up.
 */
public final class JvmReport {
  private JvmReport() {}

  /** The JVM options this process was started with that shape pauses (-XX, -Xm*, -Xlog). */
  public static List<String> jvmFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-XX:") || a.startsWith("-Xm") || a.startsWith("-Xlog"))
        .toList();
  }

  /** As JSON: {@code jvm} (collectors, flags, gc_pauses, safepoints, ...) for the report. */
  public static Map<String, Object> json(
      JvmPauses.Report pauses, Percentiles passUs, long warmupPasses, long warmupNs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("collectors", pauses.collectors());
    m.put("flags", jvmFlags());
    m.put("gc_pauses", stops(pauses.gcPauses()));
    m.put("safepoints", stops(pauses.safepoints()));
    m.put("time_to_safepoint", stops(pauses.timeToSafepoint()));
    if (pauses.error() != null) m.put("pauses_error", pauses.error());
    Map<String, Object> pass = new LinkedHashMap<>();
    pass.put("count", passUs.count());
    pass.put("mean", passUs.mean());
    pass.put("p50", passUs.p50());
    pass.put("p99", passUs.p99());
    pass.put("p999", passUs.p999());
    pass.put("max", passUs.max());
    m.put("agent_pass_us", pass);
    m.put("warmup_passes", warmupPasses);
    m.put("warmup_ms", warmupNs / 1e6);
    return m;
  }

  private static Map<String, Object> stops(JvmPauses.Stops s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", s.count());
    m.put("total_ms", s.totalMs());
    m.put("max_ms", s.maxMs());
    return m;
  }

  /** As lines for the printed summary. */
  public static String summary(
      JvmPauses.Report pauses, Percentiles passUs, long warmupPasses, long warmupNs) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "  %-12s mean %10.1f  p50 %10.1f  p99 %10.1f  p99.9 %10.1f  max %10.1f  (us, %,d passes)%n",
            "agent pass",
            passUs.mean(),
            passUs.p50(),
            passUs.p99(),
            passUs.p999(),
            passUs.max(),
            passUs.count()));
    sb.append(
        String.format(
            "  JVM %s: GC pauses %d (total %.2f ms, max %.3f ms); safepoints %d (total %.2f ms,"
                + " max %.3f ms, time to safepoint max %.3f ms)%n",
            String.join("+", pauses.collectors()),
            pauses.gcPauses().count(),
            pauses.gcPauses().totalMs(),
            pauses.gcPauses().maxMs(),
            pauses.safepoints().count(),
            pauses.safepoints().totalMs(),
            pauses.safepoints().maxMs(),
            pauses.timeToSafepoint().maxMs()));
    if (pauses.error() != null)
      sb.append("  JVM pauses not recorded: ").append(pauses.error()).append('\n');
    if (warmupPasses > 0)
      sb.append(
          String.format(
              "  JIT warm-up: %,d passes on the emulated kernel in %.0f ms%n",
              warmupPasses, warmupNs / 1e6));
    return sb.toString();
  }
}
