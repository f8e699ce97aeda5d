package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.app.trace.ScheduleLog;
import dev.ghostgym.app.trace.TraceEvents;
import dev.ghostgym.app.trace.proto.PerfettoTrace.FtraceEvent;
import dev.ghostgym.app.trace.proto.PerfettoTrace.SchedSwitchFtraceEvent;
import dev.ghostgym.app.trace.proto.PerfettoTrace.Trace;
import dev.ghostgym.app.trace.proto.PerfettoTrace.TracePacket;
import dev.ghostgym.app.trace.proto.PerfettoTrace.TrackEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate --trace}: the file parses back as a Perfetto {@code Trace}, and its scheduler
 * events are consistent the way a kernel's are, and agree with the task log.
 */
class PerfettoTraceTest {
  @TempDir Path dir;

  /** Run time per pid from the switches: from a switch to it until the next switch on that CPU. */
  static Map<Integer, Long> runtimes(Map<Integer, List<FtraceEvent>> cpus, long end) {
    Map<Integer, Long> run = new HashMap<>();
    for (List<FtraceEvent> evs : cpus.values()) {
      List<FtraceEvent> sw = evs.stream().filter(FtraceEvent::hasSchedSwitch).toList();
      for (int i = 0; i < sw.size(); i++) {
        long until = i + 1 < sw.size() ? sw.get(i + 1).getTimestamp() : end;
        run.merge(
            sw.get(i).getSchedSwitch().getNextPid(), until - sw.get(i).getTimestamp(), Long::sum);
      }
    }
    return run;
  }

  /**
   * Each of the task log's {@code tasks} rows has the run time the trace's switches give its pid
   * (from a switch to it until the next switch on that CPU, or the trace's last event).
   */
  static void assertRuntimesMatchTheTaskLog(
      Map<Integer, List<FtraceEvent>> cpus, Path log, int tasks) throws Exception {
    long end =
        cpus.values().stream()
            .flatMap(List::stream)
            .mapToLong(FtraceEvent::getTimestamp)
            .max()
            .orElseThrow();
    Map<Integer, Long> run = runtimes(cpus, end);
    List<String> rows = Files.readAllLines(log);
    assertEquals(tasks + 1, rows.size());
    for (String row : rows.subList(1, rows.size())) {
      String[] f = row.split(",");
      int pid = ScheduleLog.pid(Long.parseLong(f[0]));
      assertEquals(Long.parseLong(f[9]), run.getOrDefault(pid, 0L), "runtime of task " + f[0]);
    }
  }

  @Test
  void rocksdbTraceIsConsistentAndRuntimesMatchTheTaskLog() throws Exception {
    Path trace = dir.resolve("run.perfetto-trace"), log = dir.resolve("tasks.csv");
    Cli r =
        Cli.run(
            "simulate",
            "--workload",
            "rocksdb-shinjuku",
            "--policy",
            "shinjuku",
            "--cpus",
            "3",
            "--tasks",
            "400",
            "--deployment",
            "plain",
            "--trace",
            trace.toString(),
            "--task-log",
            log.toString());
    assertEquals(0, r.code(), r.err());
    Trace t = Trace.parseFrom(Files.readAllBytes(trace));
    Map<Integer, List<FtraceEvent>> cpus = TraceEvents.perCpu(t);
    assertEquals(3, cpus.size());
    TraceEvents.checkKernelShape(cpus);
    assertRuntimesMatchTheTaskLog(cpus, log, 400);
    // agents: activations as slices, each begin with its end; commits as instants; the runnable
    // counter
    int begins = 0, ends = 0, commits = 0, counters = 0;
    for (TracePacket p : t.getPacketList()) {
      if (!p.hasTrackEvent()) continue;
      TrackEvent e = p.getTrackEvent();
      switch (e.getType()) {
        case TYPE_SLICE_BEGIN -> begins++;
        case TYPE_SLICE_END -> ends++;
        case TYPE_INSTANT -> commits += e.getName().startsWith("txn") ? 1 : 0;
        case TYPE_COUNTER -> {
          counters++;
          assertTrue(e.getCounterValue() >= 0);
        }
        default -> {}
      }
    }
    assertTrue(begins > 0 && begins == ends, begins + " begins, " + ends + " ends");
    assertTrue(commits >= 400, "commits " + commits);
    assertTrue(counters > 0);
  }

  @Test
  void seedSingleExpShowsTheThreadItsSleepsItsChildrenAndTheAgent() throws Exception {
    Path trace = dir.resolve("single.perfetto-trace"), gantt = dir.resolve("single-gantt");
    Cli r =
        Cli.run(
            "simulate",
            "--workload",
            "seed-single-exp",
            "--cpus",
            "2",
            "--trace",
            trace.toString(),
            "--gantt",
            gantt.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(
        Files.size(dir.resolve("single-gantt.png")) > 0
            && Files.size(dir.resolve("single-gantt.svg")) > 0);
    Trace t = Trace.parseFrom(Files.readAllBytes(trace));
    Map<Integer, List<FtraceEvent>> cpus = TraceEvents.perCpu(t);
    TraceEvents.checkKernelShape(cpus);
    // the main thread (pid 1): 11 stretches on a CPU, 10 sleeps of 1 ms between them, 10 wakeups
    List<long[]> mainRuns = new ArrayList<>();
    List<Integer> agentSwitchIns = new ArrayList<>();
    int wakings = 0;
    Set<String> children = new TreeSet<>();
    for (List<FtraceEvent> evs : cpus.values()) {
      for (int i = 0; i < evs.size(); i++) {
        FtraceEvent ev = evs.get(i);
        if (ev.hasSchedWaking() && ev.getSchedWaking().getPid() == 1) wakings++;
        if (!ev.hasSchedSwitch()) continue;
        SchedSwitchFtraceEvent s = ev.getSchedSwitch();
        if (s.getNextPid() > ScheduleLog.AGENT_PROCESS) agentSwitchIns.add(s.getNextPid());
        if (s.getNextComm().startsWith("child-")) children.add(s.getNextComm());
        if (s.getNextPid() == 1) {
          long start = ev.getTimestamp();
          long stop = -1;
          for (int j = i + 1; j < evs.size(); j++) {
            if (evs.get(j).hasSchedSwitch()) {
              assertEquals(1, evs.get(j).getSchedSwitch().getPrevPid());
              stop = evs.get(j).getTimestamp();
              if (evs.get(j).getSchedSwitch().getPrevState() == ScheduleLog.SLEEPING)
                mainRuns.add(new long[] {start, stop, 1});
              else mainRuns.add(new long[] {start, stop, 0});
              break;
            }
          }
        }
      }
    }
    mainRuns.sort(Comparator.comparingLong(a -> a[0]));
    long sleeps = mainRuns.stream().filter(a -> a[2] == 1).count();
    assertEquals(10, sleeps, "main goes to sleep 10 times");
    assertEquals(10, wakings, "and is woken 10 times");
    for (int i = 1; i < mainRuns.size(); i++) {
      long[] prev = mainRuns.get(i - 1);
      if (prev[2] == 1)
        assertTrue(mainRuns.get(i)[0] - prev[1] >= 1_000_000, "a 1 ms sleep before run " + i);
    }
    assertEquals(10, children.size(), children.toString());
    assertTrue(agentSwitchIns.size() >= 10, "the agent runs on its CPU: " + agentSwitchIns.size());
    // and the Gantt chart's segments agree: main, 10 children and the agent
    Cli again =
        Cli.run(
            "simulate",
            "--workload",
            "seed-single-exp",
            "--cpus",
            "2",
            "--gantt",
            gantt.toString(),
            "--window",
            "0ms..5ms");
    assertEquals(0, again.code(), again.err());
  }

  // simulate --deployment live-emulated --trace: the agents run as live runs them and the trace is
  // rebuilt from what they observed (live --trace's path); it has the same shape and the task log's
  // run times.
  @Test
  void aLiveEmulatedTraceHasTheKernelShapeAndTheTaskLogRuntimes() throws Exception {
    Path trace = dir.resolve("live.perfetto-trace"), log = dir.resolve("live-tasks.csv");
    Cli r =
        Cli.run(
            "simulate",
            "--workload",
            "rocksdb-shinjuku",
            "--policy",
            "shinjuku",
            "--cpus",
            "3",
            "--tasks",
            "300",
            "--deployment",
            "live-emulated",
            "--trace",
            trace.toString(),
            "--task-log",
            log.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Perfetto trace: " + trace), r.out());
    Map<Integer, List<FtraceEvent>> cpus =
        TraceEvents.perCpu(Trace.parseFrom(Files.readAllBytes(trace)));
    assertEquals(3, cpus.size());
    TraceEvents.checkKernelShape(cpus);
    assertRuntimesMatchTheTaskLog(cpus, log, 300);
    Cli oracle =
        Cli.run("simulate", "--tasks", "10", "--policy", "srpt", "--deployment", "live-emulated");
    assertEquals(2, oracle.code());
    assertTrue(oracle.err().contains("cannot run live"), oracle.err());
  }

  @Test
  void badWindowIsExitTwo() {
    assertEquals(
        2,
        Cli.run(
                "simulate",
                "--tasks",
                "10",
                "--gantt",
                dir.resolve("g").toString(),
                "--window",
                "5ms..1ms")
            .code());
    assertEquals(2, Cli.run("simulate", "--tasks", "10", "--window", "0ms..1ms").code());
  }
}
