package dev.ghostgym.app.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.app.trace.proto.PerfettoTrace.FtraceEvent;
import dev.ghostgym.app.trace.proto.PerfettoTrace.SchedSwitchFtraceEvent;
import dev.ghostgym.app.trace.proto.PerfettoTrace.Trace;
import dev.ghostgym.app.trace.proto.PerfettoTrace.TrackEvent;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.emulation.EmulatedKernel;
import dev.ghostgym.live.LiveEnclave;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code live --trace} over the emulated kernel: {@link LiveEnclave}'s agent threads run the
 * policy, a {@link LiveTrace} records only what they observe (messages, txn outcomes, passes), and
 * the simulated machine underneath reports what really ran. The live trace must have a kernel
 * trace's shape and agree with the machine: every task's run time exactly (the messages carry the
 * kernel's runtime), every run's start within one remote commit's latency (runs start at the txn's
 * commit_time, which precedes the switch).
 */
class LiveTraceTest {
  /**
   * The most a run's start may precede the machine's switch: a remote commit's IPI, the target
   * CPU's switch, and the message it produces for the task it preempts (1,699 ns, paper overheads).
   */
  private static final long SWITCH_NS =
      Overheads.PAPER.ipi() + Overheads.PAPER.targetSwitch() + Overheads.PAPER.produce();

  record Recorded(ScheduleLog truth, ScheduleLog live, Map<Integer, Long> runtimeNs) {}

  static Recorded record(String policy, String workload, int cpus, long tasks) {
    EmulatedKernel k = new EmulatedKernel(EmulatedKernel.Options.of(AbiVersion.V91));
    LiveEnclave live =
        new LiveEnclave(
            k,
            Policies.create(policy, Map.of(), 3),
            k.turns(),
            LiveEnclave.Options.emulated(),
            new PrintStream(new ByteArrayOutputStream()));
    LiveTrace rec = new LiveTrace(g -> "task");
    live.observe(rec);
    Machine m =
        k.boot(
            SimConfig.of(cpus, 3, Overheads.PAPER, tasks),
            Workloads.load(workload, Map.of(), cpus),
            k.threaded(live));
    ScheduleLog truth = new ScheduleLog(m.cpuCount());
    m.observe(truth);
    Map<Integer, Long> runtime = new HashMap<>();
    m.taskLog(t -> runtime.put(ScheduleLog.pid(t.gtid()), t.runtimeNs()));
    SimResult r;
    try {
      r = m.run();
    } finally {
      live.close();
    }
    truth.finish(r.endNs());
    return new Recorded(truth, rec.toLog(cpus), runtime);
  }

  static Trace trace(ScheduleLog log) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PerfettoTrace.write(log, "live", out);
    return Trace.parseFrom(out.toByteArray());
  }

  /** Per pid, its runs as {start, end} from the switches, in time order. */
  static Map<Integer, List<long[]>> runs(Map<Integer, List<FtraceEvent>> cpus) {
    Map<Integer, List<long[]>> run = new TreeMap<>();
    for (List<FtraceEvent> evs : cpus.values()) {
      List<FtraceEvent> sw = evs.stream().filter(FtraceEvent::hasSchedSwitch).toList();
      for (int i = 0; i + 1 < sw.size(); i++) {
        int pid = sw.get(i).getSchedSwitch().getNextPid();
        if (pid == 0 || pid > ScheduleLog.AGENT_PROCESS) continue;
        run.computeIfAbsent(pid, k -> new ArrayList<>())
            .add(new long[] {sw.get(i).getTimestamp(), sw.get(i + 1).getTimestamp()});
      }
    }
    run.values().forEach(l -> l.sort((a, b) -> Long.compare(a[0], b[0])));
    return run;
  }

  static long count(Trace t, TrackEvent.Type type) {
    return t.getPacketList().stream()
        .filter(p -> p.hasTrackEvent() && p.getTrackEvent().getType() == type)
        .count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"fifo", "centralized-fifo", "shinjuku"})
  void aLiveTraceHasTheKernelShapeAndTheMachinesRunTimes(String policy) throws Exception {
    Recorded r = record(policy, "rocksdb-shinjuku", 2, 1_000);
    Trace live = trace(r.live());
    Trace truth = trace(r.truth());
    Map<Integer, List<FtraceEvent>> cpus = TraceEvents.perCpu(live);
    assertEquals(2, cpus.size());
    assertTrue(TraceEvents.checkKernelShape(cpus) > 2_000, policy);

    Map<Integer, List<long[]>> liveRuns = runs(cpus), machineRuns = runs(TraceEvents.perCpu(truth));
    assertEquals(1_000, r.runtimeNs().size());
    for (var e : r.runtimeNs().entrySet()) {
      List<long[]> lr = liveRuns.getOrDefault(e.getKey(), List.of());
      List<long[]> mr = machineRuns.get(e.getKey());
      long total = lr.stream().mapToLong(a -> a[1] - a[0]).sum();
      assertEquals((long) e.getValue(), total, policy + ": run time of task " + e.getKey());
      assertEquals(mr.size(), lr.size(), policy + ": runs of task " + e.getKey());
      for (int i = 0; i < lr.size(); i++) {
        long early = mr.get(i)[0] - lr.get(i)[0];
        assertTrue(
            early >= 0 && early <= SWITCH_NS,
            policy + ": task " + e.getKey() + " run " + i + " starts " + early + " ns early");
      }
    }
    // the same agent activations and txn commits as the machine's own trace, and the counter
    assertEquals(r.truth().agentSlices().size(), r.live().agentSlices().size(), policy);
    assertEquals(
        count(truth, TrackEvent.Type.TYPE_SLICE_BEGIN),
        count(live, TrackEvent.Type.TYPE_SLICE_BEGIN));
    assertEquals(
        count(truth, TrackEvent.Type.TYPE_INSTANT), count(live, TrackEvent.Type.TYPE_INSTANT));
    assertTrue(count(live, TrackEvent.Type.TYPE_COUNTER) > 100, policy);
  }

  // seed-single-exp: the main thread's ten 1 ms sleeps (prev_state S) and ten wakings, its ten
  // children, each ending in exit (prev_state X, from TASK_BLOCKED then TASK_DEAD).
  @Test
  void seedSingleExpShowsTheSleepsTheWakingsAndTheExits() throws Exception {
    Recorded r = record("fifo", "seed-single-exp", 2, 100);
    Map<Integer, List<FtraceEvent>> cpus = TraceEvents.perCpu(trace(r.live()));
    TraceEvents.checkKernelShape(cpus);
    int sleeps = 0, exits = 0, wakings = 0;
    for (List<FtraceEvent> evs : cpus.values()) {
      for (FtraceEvent ev : evs) {
        if (ev.hasSchedWaking() && ev.getSchedWaking().getPid() == 1) wakings++;
        if (!ev.hasSchedSwitch()) continue;
        SchedSwitchFtraceEvent s = ev.getSchedSwitch();
        if (s.getPrevPid() == 1 && s.getPrevState() == ScheduleLog.SLEEPING) sleeps++;
        if (s.getPrevPid() > 1
            && s.getPrevPid() < ScheduleLog.AGENT_PROCESS
            && s.getPrevState() == ScheduleLog.DEAD) exits++;
      }
    }
    assertEquals(10, sleeps);
    assertEquals(10, wakings);
    assertEquals(10, exits, "every child exits");
    assertEquals(11, r.runtimeNs().size());
    Map<Integer, List<long[]>> runs = runs(cpus);
    for (var e : r.runtimeNs().entrySet())
      assertEquals(
          (long) e.getValue(),
          runs.get(e.getKey()).stream().mapToLong(a -> a[1] - a[0]).sum(),
          "task " + e.getKey());
  }
}
