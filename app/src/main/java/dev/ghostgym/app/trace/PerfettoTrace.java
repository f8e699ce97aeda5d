package dev.ghostgym.app.trace;

import dev.ghostgym.app.trace.proto.PerfettoTrace.CounterDescriptor;
import dev.ghostgym.app.trace.proto.PerfettoTrace.DebugAnnotation;
import dev.ghostgym.app.trace.proto.PerfettoTrace.FtraceEvent;
import dev.ghostgym.app.trace.proto.PerfettoTrace.FtraceEventBundle;
import dev.ghostgym.app.trace.proto.PerfettoTrace.ProcessDescriptor;
import dev.ghostgym.app.trace.proto.PerfettoTrace.ProcessTree;
import dev.ghostgym.app.trace.proto.PerfettoTrace.SchedSwitchFtraceEvent;
import dev.ghostgym.app.trace.proto.PerfettoTrace.SchedWakingFtraceEvent;
import dev.ghostgym.app.trace.proto.PerfettoTrace.ThreadDescriptor;
import dev.ghostgym.app.trace.proto.PerfettoTrace.TracePacket;
import dev.ghostgym.app.trace.proto.PerfettoTrace.TrackDescriptor;
import dev.ghostgym.app.trace.proto.PerfettoTrace.TrackEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a {@link ScheduleLog} as a Perfetto trace ({@code Trace} = repeated {@code TracePacket},
 * each written as field 1 of the file, so packets stream out one by one). It has what a Linux
 * machine's trace has: a process tree, per-CPU ftrace bundles of {@code sched_switch} and {@code
 * sched_waking}; and on track-event tracks what only ghOSt knows: agent activations as slices, txn
 * commits (the policy's decisions) with their outcomes as instants on the task's thread, and the
 * number of runnable ghOSt tasks as a counter.
 */
public final class PerfettoTrace {
  /** The writer's packet sequence (any non-zero id; one producer). */
  static final int SEQ = 1;

  static final long COUNTER_TRACK = 1L << 40,
      AGENT_PROCESS_TRACK = (1L << 40) + 1,
      TASKS_PROCESS_TRACK = (1L << 40) + 2;

  /**
   * ftrace events per bundle packet: small enough that a reader streams, large enough to be cheap.
   */
  static final int BUNDLE = 4096;

  static final int TASKS_PROCESS = 1;

  private PerfettoTrace() {}

  public static void write(ScheduleLog log, String processName, OutputStream out)
      throws IOException {
    packet(out, processTree(log, processName));
    boolean first = true;
    for (TracePacket d : descriptors(log, processName)) {
      TracePacket.Builder b = d.toBuilder();
      if (first) {
        b.setSequenceFlags(1).setFirstPacketOnSequence(true); // SEQ_INCREMENTAL_STATE_CLEARED
        first = false;
      }
      packet(out, b.build());
    }
    for (int cpu = 0; cpu < log.cpus(); cpu++) writeCpu(log, cpu, out);
    for (TracePacket p : trackEvents(log)) packet(out, p);
  }

  private static void packet(OutputStream out, TracePacket p) throws IOException {
    // Trace.packet is field 1, length-delimited: tag 0x0A, then the packet's length and bytes.
    out.write(0x0A);
    byte[] bytes = p.toByteArray();
    int n = bytes.length;
    while ((n & ~0x7F) != 0) {
      out.write((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    out.write(n);
    out.write(bytes);
  }

  static String comm(ScheduleLog log, int pid) {
    if (pid == 0) return "swapper";
    if (pid > ScheduleLog.AGENT_PROCESS) return "agent/" + (pid - ScheduleLog.AGENT_PROCESS - 1);
    ScheduleLog.Task t = log.tasks().get(pid);
    return t == null ? "task-" + pid : t.className() + "-" + pid;
  }

  /** Linux priorities: agents run above everything (ghOSt's agent class), CFS tasks at 120. */
  static int prio(ScheduleLog log, int pid) {
    if (pid == 0) return 120;
    return pid > ScheduleLog.AGENT_PROCESS ? 0 : 120;
  }

  private static TracePacket processTree(ScheduleLog log, String processName) {
    ProcessTree.Builder tree = ProcessTree.newBuilder();
    tree.addProcesses(
        ProcessTree.Process.newBuilder().setPid(TASKS_PROCESS).setPpid(0).addCmdline(processName));
    tree.addProcesses(
        ProcessTree.Process.newBuilder()
            .setPid(ScheduleLog.AGENT_PROCESS)
            .setPpid(0)
            .addCmdline("ghost-agent"));
    for (ScheduleLog.Task t : log.tasks().values()) {
      tree.addThreads(
          ProcessTree.Thread.newBuilder()
              .setTid(t.pid())
              .setTgid(TASKS_PROCESS)
              .setName(comm(log, t.pid())));
    }
    for (int c = 0; c < log.cpus(); c++) {
      tree.addThreads(
          ProcessTree.Thread.newBuilder()
              .setTid(ScheduleLog.agentPid(c))
              .setTgid(ScheduleLog.AGENT_PROCESS)
              .setName(comm(log, ScheduleLog.agentPid(c))));
    }
    return TracePacket.newBuilder().setTimestamp(0).setProcessTree(tree).build();
  }

  private static List<TracePacket> descriptors(ScheduleLog log, String processName) {
    List<TracePacket> out = new ArrayList<>();
    out.add(
        track(
            TrackDescriptor.newBuilder()
                .setUuid(TASKS_PROCESS_TRACK)
                .setProcess(
                    ProcessDescriptor.newBuilder()
                        .setPid(TASKS_PROCESS)
                        .setProcessName(processName))));
    out.add(
        track(
            TrackDescriptor.newBuilder()
                .setUuid(AGENT_PROCESS_TRACK)
                .setProcess(
                    ProcessDescriptor.newBuilder()
                        .setPid(ScheduleLog.AGENT_PROCESS)
                        .setProcessName("ghost-agent"))));
    for (ScheduleLog.Task t : log.tasks().values()) {
      out.add(
          track(
              TrackDescriptor.newBuilder()
                  .setUuid(t.pid())
                  .setParentUuid(TASKS_PROCESS_TRACK)
                  .setDescription(
                      (t.enclave() ? "ghOSt" : "CFS")
                          + " task of class "
                          + t.className()
                          + (t.parentPid() > 0 ? ", child of " + t.parentPid() : ""))
                  .setThread(
                      ThreadDescriptor.newBuilder()
                          .setPid(TASKS_PROCESS)
                          .setTid(t.pid())
                          .setThreadName(comm(log, t.pid())))));
    }
    for (int c = 0; c < log.cpus(); c++) {
      int pid = ScheduleLog.agentPid(c);
      out.add(
          track(
              TrackDescriptor.newBuilder()
                  .setUuid(pid)
                  .setParentUuid(AGENT_PROCESS_TRACK)
                  .setThread(
                      ThreadDescriptor.newBuilder()
                          .setPid(ScheduleLog.AGENT_PROCESS)
                          .setTid(pid)
                          .setThreadName(comm(log, pid)))));
    }
    out.add(
        track(
            TrackDescriptor.newBuilder()
                .setUuid(COUNTER_TRACK)
                .setName("runnable ghOSt tasks")
                .setCounter(
                    CounterDescriptor.newBuilder().setUnit(CounterDescriptor.Unit.UNIT_COUNT))));
    return out;
  }

  private static TracePacket track(TrackDescriptor.Builder d) {
    return TracePacket.newBuilder()
        .setTimestamp(0)
        .setTrustedPacketSequenceId(SEQ)
        .setTrackDescriptor(d)
        .build();
  }

  /** The CPU's switches and wakings merged in time order, in bundles. */
  private static void writeCpu(ScheduleLog log, int cpu, OutputStream out) throws IOException {
    List<FtraceEvent> events = new ArrayList<>();
    List<long[]> order = new ArrayList<>(); // time, kind (0 waking first at a tie), index
    List<ScheduleLog.Switch> sw = log.switches(cpu);
    List<ScheduleLog.Waking> wk = log.wakings(cpu);
    for (int i = 0; i < sw.size(); i++) order.add(new long[] {sw.get(i).time(), 1, i});
    for (int i = 0; i < wk.size(); i++) order.add(new long[] {wk.get(i).time(), 0, i});
    order.sort(
        Comparator.<long[]>comparingLong(a -> a[0])
            .thenComparingLong(a -> a[1])
            .thenComparingLong(a -> a[2]));
    for (long[] o : order) {
      if (o[1] == 1) {
        ScheduleLog.Switch s = sw.get((int) o[2]);
        events.add(
            FtraceEvent.newBuilder()
                .setTimestamp(s.time())
                .setPid(s.prevPid())
                .setSchedSwitch(
                    SchedSwitchFtraceEvent.newBuilder()
                        .setPrevComm(comm(log, s.prevPid()))
                        .setPrevPid(s.prevPid())
                        .setPrevPrio(prio(log, s.prevPid()))
                        .setPrevState(s.prevState())
                        .setNextComm(comm(log, s.nextPid()))
                        .setNextPid(s.nextPid())
                        .setNextPrio(prio(log, s.nextPid())))
                .build());
      } else {
        ScheduleLog.Waking w = wk.get((int) o[2]);
        events.add(
            FtraceEvent.newBuilder()
                .setTimestamp(w.time())
                .setPid(0)
                .setSchedWaking(
                    SchedWakingFtraceEvent.newBuilder()
                        .setComm(comm(log, w.pid()))
                        .setPid(w.pid())
                        .setPrio(prio(log, w.pid()))
                        .setSuccess(1)
                        .setTargetCpu(w.cpu()))
                .build());
      }
      if (events.size() == BUNDLE) flush(cpu, events, out);
    }
    flush(cpu, events, out);
  }

  private static void flush(int cpu, List<FtraceEvent> events, OutputStream out)
      throws IOException {
    if (events.isEmpty()) return;
    packet(
        out,
        TracePacket.newBuilder()
            .setFtraceEvents(FtraceEventBundle.newBuilder().setCpu(cpu).addAllEvent(events))
            .build());
    events.clear();
  }

  private static List<TracePacket> trackEvents(ScheduleLog log) {
    List<TracePacket> ps = new ArrayList<>();
    for (ScheduleLog.AgentSlice s : log.agentSlices()) {
      long track = ScheduleLog.agentPid(s.cpu());
      ps.add(
          event(
              s.start(),
              TrackEvent.newBuilder()
                  .setTrackUuid(track)
                  .setType(TrackEvent.Type.TYPE_SLICE_BEGIN)
                  .setName("activation")
                  .addCategories("agent")));
      ps.add(
          event(
              s.end(),
              TrackEvent.newBuilder().setTrackUuid(track).setType(TrackEvent.Type.TYPE_SLICE_END)));
    }
    for (ScheduleLog.Commit c : log.commits()) {
      long track =
          c.pid() > 0 && log.tasks().containsKey(c.pid())
              ? c.pid()
              : ScheduleLog.agentPid(Math.min(c.cpu(), log.cpus() - 1));
      ps.add(
          event(
              c.time(),
              TrackEvent.newBuilder()
                  .setTrackUuid(track)
                  .setType(TrackEvent.Type.TYPE_INSTANT)
                  .setName(
                      (c.pid() == 0 ? "txn: idle cpu " : "txn: run on cpu ")
                          + c.cpu()
                          + " "
                          + c.outcome())
                  .addCategories("txn")
                  .addDebugAnnotations(
                      DebugAnnotation.newBuilder().setName("cpu").setIntValue(c.cpu()))
                  .addDebugAnnotations(
                      DebugAnnotation.newBuilder()
                          .setName("outcome")
                          .setStringValue(c.outcome()))));
    }
    for (ScheduleLog.Count c : log.runnableCounts()) {
      ps.add(
          event(
              c.time(),
              TrackEvent.newBuilder()
                  .setTrackUuid(COUNTER_TRACK)
                  .setType(TrackEvent.Type.TYPE_COUNTER)
                  .setCounterValue(c.runnable())));
    }
    ps.sort(
        Comparator.comparingLong(TracePacket::getTimestamp)); // one sequence: packets in time order
    return ps;
  }

  private static TracePacket event(long time, TrackEvent.Builder e) {
    return TracePacket.newBuilder()
        .setTimestamp(time)
        .setTrustedPacketSequenceId(SEQ)
        .setTrackEvent(e)
        .build();
  }
}
