package dev.ghostgym.app.trace;

import dev.ghostgym.abi.Gtid;
import dev.ghostgym.sim.SimObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What ran where, recorded from a simulation in the shape Linux's scheduler tracepoints give it:
 * per-CPU context switches with the previous task's state, wakeups, agent activations, txn commits
 * and the number of runnable ghOSt tasks. One log feeds both the Perfetto trace and the Gantt
 * chart.
 *
 * <p>Tasks appear as their tid; each CPU's agent as {@link #agentPid}; idle as pid 0. A task that
 * leaves a CPU and another that takes it at the same instant become one switch, as in the kernel.
 */
public final class ScheduleLog implements SimObserver {
  /** Linux task states as sched_switch reports prev_state. */
  public static final long RUNNING = 0, SLEEPING = 1, DEAD = 16;

  /** Agents' pids: one thread per CPU in a process of their own, far above the tasks' tids. */
  public static final int AGENT_PROCESS = 1_000_000;

  public record Task(
      int pid, long gtid, int parentPid, String className, boolean enclave, long created) {}

  /** A context switch; {@code nextCfs}: the next task runs in CFS, not in ghOSt. */
  public record Switch(
      long time, int cpu, int prevPid, long prevState, int nextPid, boolean nextCfs) {}

  public record Waking(long time, int cpu, int pid) {}

  public record AgentSlice(int cpu, long start, long end) {}

  public record Commit(long time, int cpu, int pid, String outcome) {}

  public record Count(long time, int runnable) {}

  private final int cpus;
  private final Map<Integer, Task> tasks = new LinkedHashMap<>();
  private final List<List<Switch>> switches = new ArrayList<>();
  private final List<List<Waking>> wakings = new ArrayList<>();
  private final List<AgentSlice> agentSlices = new ArrayList<>();
  private final List<Commit> commits = new ArrayList<>();
  private final List<Count> counts = new ArrayList<>();
  private final int[] current;
  private final long[] pendingTime; // a task left the CPU at this time; -1 when none is pending
  private final int[] pendingPid;
  private final long[] pendingState;
  private final long[] agentSince;
  private final Map<Integer, Integer> lastCpu = new HashMap<>();
  private final Map<Integer, Boolean> runnable = new HashMap<>();
  private int runnableCount;
  private long end;

  public ScheduleLog(int cpus) {
    this.cpus = cpus;
    current = new int[cpus];
    pendingTime = new long[cpus];
    pendingPid = new int[cpus];
    pendingState = new long[cpus];
    agentSince = new long[cpus];
    Arrays.fill(pendingTime, -1);
    Arrays.fill(agentSince, -1);
    for (int i = 0; i < cpus; i++) {
      switches.add(new ArrayList<>());
      wakings.add(new ArrayList<>());
    }
  }

  public static int pid(long gtid) {
    return Gtid.tid(gtid);
  }

  public static int agentPid(int cpu) {
    return AGENT_PROCESS + 1 + cpu;
  }

  public int cpus() {
    return cpus;
  }

  public Map<Integer, Task> tasks() {
    return tasks;
  }

  public List<Switch> switches(int cpu) {
    return switches.get(cpu);
  }

  public List<Waking> wakings(int cpu) {
    return wakings.get(cpu);
  }

  public List<AgentSlice> agentSlices() {
    return agentSlices;
  }

  public List<Commit> commits() {
    return commits;
  }

  public List<Count> runnableCounts() {
    return counts;
  }

  /** The last time seen (after {@link #finish}, the end of the run). */
  public long end() {
    return end;
  }

  @Override
  public void onTaskNew(long now, long gtid, long parentGtid, String className, boolean enclave) {
    int pid = pid(gtid);
    tasks.put(
        pid, new Task(pid, gtid, parentGtid == 0 ? 0 : pid(parentGtid), className, enclave, now));
    end = now;
  }

  @Override
  public void onWakeup(long now, long gtid) {
    int pid = pid(gtid);
    int cpu = lastCpu.getOrDefault(pid, 0);
    settle(cpu, now);
    wakings.get(cpu).add(new Waking(now, cpu, pid));
  }

  @Override
  public void onRunnable(long now, long gtid) {
    int pid = pid(gtid);
    for (int c = 0; c < cpus; c++) {
      if (pendingTime[c] == now && pendingPid[c] == pid)
        pendingState[c] = RUNNING; // preempted or yielded
    }
    Task t = tasks.get(pid);
    if (t != null && t.enclave() && runnable.put(pid, Boolean.TRUE) == null) count(now, +1);
  }

  @Override
  public void onExit(long now, long gtid) {
    int pid = pid(gtid);
    for (int c = 0; c < cpus; c++)
      if (pendingTime[c] == now && pendingPid[c] == pid) pendingState[c] = DEAD;
  }

  @Override
  public void onRun(long now, int cpu, long gtid, boolean ghost) {
    int pid = pid(gtid);
    switchIn(now, cpu, pid, !ghost);
    lastCpu.put(pid, cpu);
    if (runnable.remove(pid) != null) count(now, -1);
  }

  @Override
  public void onStop(long now, int cpu, long gtid) {
    switchOut(now, cpu, pid(gtid), SLEEPING);
  }

  @Override
  public void onAgentRun(long now, int cpu) {
    if (cpu >= cpus) return;
    if (current[cpu] != agentPid(cpu) || pendingTime[cpu] >= 0)
      switchIn(now, cpu, agentPid(cpu), false);
    agentSince[cpu] = now;
  }

  @Override
  public void onAgentCommitPoint(long now, int cpu) {
    if (cpu >= cpus || agentSince[cpu] < 0) return;
    agentSlices.add(new AgentSlice(cpu, agentSince[cpu], now));
    agentSince[cpu] = -1;
    end = Math.max(end, now);
  }

  @Override
  public void onAgentBlock(long now, int cpu) {
    if (cpu >= cpus) return;
    onAgentCommitPoint(now, cpu); // a killed agent ends its activation here
    if (current[cpu] == agentPid(cpu) && pendingTime[cpu] < 0)
      switchOut(now, cpu, agentPid(cpu), SLEEPING);
  }

  @Override
  public void onCommit(long now, int cpu, long gtid, String outcome) {
    commits.add(new Commit(now, cpu, gtid == 0 ? 0 : pid(gtid), outcome));
  }

  /**
   * Ends the log at {@code now}: whatever left a CPU without a successor switches to idle, and an
   * activation in progress ends.
   */
  public void finish(long now) {
    end = Math.max(end, now);
    for (int c = 0; c < cpus; c++) {
      settle(c, Long.MAX_VALUE);
      // an activation still in progress when the run ended (it had not reached its commit point)
      if (agentSince[c] >= 0) agentSlices.add(new AgentSlice(c, agentSince[c], end));
      agentSince[c] = -1;
    }
  }

  private void switchOut(long now, int cpu, int pid, long state) {
    settle(cpu, now);
    pendingTime[cpu] = now;
    pendingPid[cpu] = pid;
    pendingState[cpu] = state;
    current[cpu] = 0;
    end = Math.max(end, now);
  }

  private void switchIn(long now, int cpu, int pid, boolean cfs) {
    if (pendingTime[cpu] == now) {
      switches.get(cpu).add(new Switch(now, cpu, pendingPid[cpu], pendingState[cpu], pid, cfs));
      pendingTime[cpu] = -1;
    } else {
      settle(cpu, now);
      switches
          .get(cpu)
          .add(
              new Switch(now, cpu, current[cpu], current[cpu] == 0 ? RUNNING : SLEEPING, pid, cfs));
    }
    current[cpu] = pid;
    end = Math.max(end, now);
  }

  /** A switch-out still pending from before {@code now} becomes a switch to idle. */
  private void settle(int cpu, long now) {
    if (pendingTime[cpu] >= 0 && pendingTime[cpu] < now) {
      switches
          .get(cpu)
          .add(new Switch(pendingTime[cpu], cpu, pendingPid[cpu], pendingState[cpu], 0, false));
      pendingTime[cpu] = -1;
    }
  }

  private void count(long now, int delta) {
    runnableCount += delta;
    if (!counts.isEmpty() && counts.get(counts.size() - 1).time() == now)
      counts.remove(counts.size() - 1);
    counts.add(new Count(now, runnableCount));
  }
}
