package dev.ghostgym.actors.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.config.Arrival;
import dev.ghostgym.config.Dists;
import dev.ghostgym.config.Program;
import dev.ghostgym.config.Source;
import dev.ghostgym.config.Step;
import dev.ghostgym.config.TaskTemplate;
import dev.ghostgym.config.Workload;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.metrics.TaskRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The centralized agents' run-queue order and slices, each case read from ghost-userspace's agents
 * (KERNEL-MODEL.md section 2.7): {@code schedulers/fifo/centralized/fifo_scheduler.cc} and {@code
 * schedulers/shinjuku/shinjuku_scheduler.cc}. Costs are zero and the global agent has a CPU of its
 * own, so every time below is a sum of the durations the workload declares.
 */
class CentralizedAgentsTest {
  private static final long MS = 1_000_000;
  private static final long US = 1_000;

  private static Step run(long ns) {
    return new Step.Run(new Dists.Const(ns));
  }

  private static Step sleep(long ns) {
    return new Step.Sleep(new Dists.Const(ns));
  }

  /** One source per task, named by its arrival time, so task n is the n-th to arrive. */
  private static Workload tasks(long[] arrivals, List<List<Step>> programs) {
    List<Source> sources = new ArrayList<>();
    for (int i = 0; i < arrivals.length; i++) {
      TaskTemplate t =
          new TaskTemplate("t" + (i + 1), true, 0, 0, null, new Program(programs.get(i)));
      sources.add(new Source("t" + (i + 1), new Arrival.Fixed(List.of(arrivals[i])), t));
    }
    return new Workload("test", "hand-built", sources, Map.of());
  }

  /** Runs on {@code cpus} task CPUs (plus the global agent's own) and returns class -> record. */
  private static Map<String, TaskRecord> runOn(
      int cpus, Workload w, String policy, Map<String, String> params) {
    Map<String, TaskRecord> out = new TreeMap<>();
    Machine m =
        new Machine(
            SimConfig.of(cpus, 1, Overheads.NONE, 100).withInvariants(true),
            w,
            Policies.create(policy, params, 1));
    m.taskLog(r -> out.put(r.className(), r));
    m.run();
    return out;
  }

  // fifo_scheduler.cc TaskNew (new task: prio_boost false, back) and TaskRunnable
  // (prio_boost = !deferrable, and Enqueue puts a boosted task at the front; the kernel's
  // deferrable_wakeup is false for an ordinary wakeup). t1 runs 0..1 ms and sleeps 0.5 ms; t2 and
  // t3 queued meanwhile, t2 runs 1..2 ms; t1, woken at 1.5 ms, goes before t3.
  @Test
  void centralizedFifoQueuesAWokenTaskAtTheFront() {
    Workload w =
        tasks(
            new long[] {0, 100 * US, 200 * US},
            List.of(List.of(run(MS), sleep(MS / 2), run(MS)), List.of(run(MS)), List.of(run(MS))));
    Map<String, TaskRecord> r = runOn(1, w, "centralized-fifo", Map.of());
    assertEquals(2 * MS, r.get("t2").end());
    assertEquals(3 * MS, r.get("t1").end(), "the woken t1 runs before t3, which waited longer");
    assertEquals(4 * MS, r.get("t3").end());
  }

  // shinjuku_scheduler.cc GlobalSchedule: the slice is measured from the commit (last_ran) and
  // polled, never renewed: t1 (3 ms) runs alone past its 1 ms slice, and t2 arriving at 2.5 ms
  // displaces it at once. TaskPreempted sets prio_boost, so t1 goes to the front, before t3
  // (arrived at 2.6 ms): t2 2.5..2.7, t1 2.7..3.2 (its last 0.5 ms, within a new slice), t3
  // 3.2..3.4.
  @Test
  void shinjukuPreemptsAnExpiredTaskAtOnceAndPutsItBackAtTheFront() {
    Workload w =
        tasks(
            new long[] {0, 2500 * US, 2600 * US},
            List.of(List.of(run(3 * MS)), List.of(run(200 * US)), List.of(run(200 * US))));
    Map<String, TaskRecord> r = runOn(1, w, "shinjuku", Map.of("slice", "1ms"));
    assertEquals(2700 * US, r.get("t2").end(), "t2 starts at its arrival: t1's slice had expired");
    assertEquals(3200 * US, r.get("t1").end(), "preempted t1 is back at the front");
    assertEquals(3400 * US, r.get("t3").end());
    assertEquals(1, r.get("t1").preemptions());
  }

  // The paper's variant on the same tasks: the slice is a timer renewed while nobody waits, so t2
  // waits for t1's slice to end at 3 ms (t1 ends then), and preempted tasks go to the back.
  @Test
  void shinjukuPaperRenewsTheSliceWhileNobodyWaits() {
    Workload w =
        tasks(
            new long[] {0, 2500 * US, 2600 * US},
            List.of(List.of(run(3 * MS)), List.of(run(200 * US)), List.of(run(200 * US))));
    Map<String, TaskRecord> r = runOn(1, w, "shinjuku-paper", Map.of("slice", "1ms"));
    assertEquals(3 * MS, r.get("t1").end());
    assertEquals(3200 * US, r.get("t2").end());
    assertEquals(3400 * US, r.get("t3").end());
    assertEquals(0, r.get("t1").preemptions());
  }

  // shinjuku_scheduler.cc SkipForSchedule: the first pass of a round only fills CPUs with no
  // task; running tasks are considered for preemption in the second pass. t1's slice has expired
  // when t2 arrives at 2.5 ms, but CPU 1 is idle, so t2 goes there and t1 is not preempted.
  @Test
  void shinjukuFillsIdleCpusBeforePreempting() {
    Workload w =
        tasks(
            new long[] {0, 0, 2500 * US},
            List.of(List.of(run(3 * MS)), List.of(run(2 * MS)), List.of(run(200 * US))));
    Map<String, TaskRecord> r = runOn(2, w, "shinjuku", Map.of("slice", "1ms"));
    assertEquals(0, r.get("t1").preemptions());
    assertEquals(3 * MS, r.get("t1").end());
    assertEquals(2500 * US, r.get("t3").firstRun(), "t3 runs at once on the idle CPU");
  }

  // KERNEL-MODEL.md 2.8: _task_tick_ghost produces CPU_TICK and wakes agent_target_cpu, the
  // wakeup CPU of the agent's queue; the centralized queue names none, so a tick on a satellite's
  // CPU wakes nobody and preempts nothing (the spinning global agent reads it when it polls). Two
  // 5 ms tasks on the two task CPUs run to completion without a single preemption, ticks or not.
  // Each CPU_TICK is produced on the ticking CPU (_produce in the tick handler), so the 5 ticks in
  // a task's 5 ms cost it the kernel's part of 5 messages: it ends 5 x 100 ns later.
  @Test
  void ticksOnACentralizedQueueWakeNobody() {
    Workload w = tasks(new long[] {0, 0}, List.of(List.of(run(5 * MS)), List.of(run(5 * MS))));
    SimConfig quiet = SimConfig.of(3, 1, Overheads.PAPER, 100).withInvariants(true);
    var noTicks = new Machine(quiet, w, Policies.create("centralized-fifo")).run();
    var ticks = new Machine(quiet.withTicks(true), w, Policies.create("centralized-fifo")).run();
    assertEquals(0, noTicks.metrics().preemptions());
    assertEquals(0, ticks.metrics().preemptions(), "ticks preempt nothing");
    assertEquals(noTicks.endNs() + 5 * Overheads.ASSUMED_PRODUCE_NS, ticks.endNs());
    long tickCount = ticks.metrics().messagesByType().getOrDefault("CPU_TICK", 0L);
    assertEquals(true, tickCount >= 10, "ticks were delivered: " + tickCount);
  }

  // ghost-userspace's FifoAgent::AgentThread and PickNextGlobalCPU (KERNEL-MODEL.md 2.7, 2.9): the
  // global agent spins on CPU 0 (the paper's costs put it on a task CPU). A CFS task that arrives
  // there at 1 ms makes the kernel set BOOST_PRIO; the agent moves the global role to CPU 1 (its
  // agent, pinged, preempts task 1 and takes over) and yields CPU 0, so the CFS task runs there
  // for its 1 ms instead of starving behind the spinning agent.
  @Test
  void aCfsTaskOnTheGlobalAgentsCpuGetsItsTime() {
    List<Source> sources = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      TaskTemplate t =
          new TaskTemplate("t" + i, true, 0, 0, null, new Program(List.of(run(5 * MS))));
      sources.add(new Source("t" + i, new Arrival.Fixed(List.of(0L)), t));
    }
    TaskTemplate c = new TaskTemplate("cfs", false, 0, 0, null, new Program(List.of(run(MS))));
    sources.add(new Source("cfs", new Arrival.Fixed(List.of(MS)), c));
    Workload w = new Workload("test", "hand-built", sources, Map.of());
    CentralizedAgents agents = (CentralizedAgents) Policies.create("centralized-fifo");
    Map<String, TaskRecord> done = new TreeMap<>();
    Machine m =
        new Machine(SimConfig.of(3, 1, Overheads.PAPER, 100).withInvariants(true), w, agents);
    m.taskLog(r -> done.put(r.className(), r));
    var r = m.run();
    assertEquals(3, r.metrics().completed(), "the CFS task completed: " + done.keySet());
    assertEquals(1, agents.handOffs());
    assertEquals(1, agents.globalCpu());
    assertEquals(MS, done.get("cfs").runtimeNs());
    assertEquals(
        true,
        done.get("cfs").end() < 3 * MS,
        "CFS ran right after the hand-off: " + done.get("cfs").end());
  }
}
