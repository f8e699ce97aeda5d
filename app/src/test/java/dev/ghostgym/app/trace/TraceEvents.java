package dev.ghostgym.app.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.app.trace.proto.PerfettoTrace.FtraceEvent;
import dev.ghostgym.app.trace.proto.PerfettoTrace.SchedSwitchFtraceEvent;
import dev.ghostgym.app.trace.proto.PerfettoTrace.Trace;
import dev.ghostgym.app.trace.proto.PerfettoTrace.TracePacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The scheduler-event checks that simulate's, quickstart's and live's trace tests share. */
public final class TraceEvents {
  private TraceEvents() {}

  /** Per CPU, the ftrace events in file order. */
  public static Map<Integer, List<FtraceEvent>> perCpu(Trace t) {
    Map<Integer, List<FtraceEvent>> m = new TreeMap<>();
    for (TracePacket p : t.getPacketList()) {
      if (p.hasFtraceEvents())
        m.computeIfAbsent(p.getFtraceEvents().getCpu(), k -> new ArrayList<>())
            .addAll(p.getFtraceEvents().getEventList());
    }
    return m;
  }

  /**
   * Per CPU: time never goes back, and each switch's prev_pid is the previous one's next_pid.
   * Returns the number of switches.
   */
  public static int checkKernelShape(Map<Integer, List<FtraceEvent>> cpus) {
    int switches = 0;
    for (var e : cpus.entrySet()) {
      long last = -1;
      Integer running = null;
      for (FtraceEvent ev : e.getValue()) {
        assertTrue(ev.getTimestamp() >= last, "cpu " + e.getKey() + ": time goes back at " + ev);
        last = ev.getTimestamp();
        if (!ev.hasSchedSwitch()) continue;
        switches++;
        SchedSwitchFtraceEvent s = ev.getSchedSwitch();
        if (running != null)
          assertEquals(
              (int) running, s.getPrevPid(), "cpu " + e.getKey() + " at " + ev.getTimestamp());
        running = s.getNextPid();
      }
    }
    return switches;
  }
}
