package dev.ghostgym.app.trace;

import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.TaskBlocked;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskDeparted;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskPreempt;
import dev.ghostgym.abi.TaskSwitchto;
import dev.ghostgym.abi.TaskYield;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.live.PortListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Records what live agents observe (kernel messages, txn outcomes, their passes) and rebuilds from
 * it the {@link ScheduleLog} a simulation records, so {@code live --trace} writes the same Perfetto
 * structure as {@code simulate --trace} ({@link PerfettoTrace}).
 *
 * <p>A live agent never sees a context switch; it sees its consequences. A task starts running on a
 * CPU at its COMPLETE txn's {@code commit_time}; it stops when a message says so (TASK_BLOCKED,
 * PREEMPT, YIELD, SWITCHTO, DEPARTED: each carries the CPU and the task's cumulative {@code
 * runtime}; TASK_DEAD the CPU only). A run therefore lasts the runtime the kernel accounted since
 * the task's previous message, and ends no later than the agent decoded the message that ended it;
 * where the commit time is later than that allows (a kernel that stamps it late), the run is placed
 * to end when the message was decoded. Per CPU, agent passes and runs are then laid end to end in
 * time order, each clipped where the next begins, so the switches form one chain per CPU as a
 * kernel's do. Agent threads may call it at the same time (passes of different CPUs need not share
 * a lock), so every call takes this recorder's monitor: recording costs a little agent time, which
 * a run measuring latency should not pay.
 */
public final class LiveTrace implements PortListener {
  /** How a run ended, which sets the previous task's state in its sched_switch. */
  private enum End {
    RUNNABLE,
    SLEEPING,
    EXITED
  }

  private record Seen(long gtid, long parent, boolean runnable, long time) {}

  private record Wake(long gtid, long time) {}

  private record Pass(int cpu, long begin, long end) {}

  private record Commit(long time, int cpu, long gtid, String outcome) {}

  /** A stop message: the CPU it names, the runtime added since the last one (-1: unknown). */
  private record Stop(int cpu, long delta, long seen, End end) {}

  /** A run as observed: from a commit to a stop. */
  private record Run(int cpu, long gtid, long commit, long delta, long seen, End end) {}

  /** Per task while recording: its last runtime, a commit waiting for its stop, stops waiting. */
  private static final class TaskState {
    long runtime;
    int runCpu = -1;
    int lastRun = -1;
    long runCommit;
    final ArrayDeque<Stop> unmatched = new ArrayDeque<>();
  }

  private LongFunction<String> names;
  private final List<Seen> seen = new ArrayList<>();
  private final List<Wake> wakes = new ArrayList<>();
  private final List<Pass> passes = new ArrayList<>();
  private final List<Commit> commits = new ArrayList<>();
  private final List<Run> runs = new ArrayList<>();
  private final Map<Long, TaskState> tasks = new HashMap<>();
  private final Map<Integer, Long> passBegin = new HashMap<>();
  private long last;

  /**
   * @param names a task's name from its gtid (its {@code comm} on a real machine), shown as the
   *     class of {@code simulate}'s traces
   */
  public LiveTrace(LongFunction<String> names) {
    this.names = names;
  }

  /** Names tasks with {@code names} from now on (e.g. once their threads were sampled). */
  public synchronized LiveTrace withNames(LongFunction<String> names) {
    this.names = names;
    return this;
  }

  /** The latest time seen. */
  public synchronized long end() {
    return last;
  }

  @Override
  public synchronized void passBegin(int cpu, long nowNs) {
    passBegin.put(cpu, nowNs);
    last = Math.max(last, nowNs);
  }

  @Override
  public synchronized void passEnd(int cpu, long nowNs) {
    Long b = passBegin.remove(cpu);
    if (b != null) passes.add(new Pass(cpu, b, Math.max(b, nowNs)));
    last = Math.max(last, nowNs);
  }

  @Override
  public synchronized void txn(int cpu, long gtid, int state, long commitTimeNs) {
    commits.add(new Commit(commitTimeNs, cpu, gtid <= 0 ? 0 : gtid, TxnState.of(state).name()));
    last = Math.max(last, commitTimeNs);
    if (state != TxnState.COMPLETE.code() || gtid <= 0) return;
    TaskState t = task(gtid);
    Stop early = t.unmatched.peekFirst();
    if (early != null && early.cpu() == cpu && early.seen() >= commitTimeNs) {
      // its stop was decoded before the committing agent heard the outcome
      t.unmatched.pollFirst();
      t.lastRun = runs.size();
      runs.add(new Run(cpu, gtid, commitTimeNs, early.delta(), early.seen(), early.end()));
    } else {
      t.runCpu = cpu;
      t.runCommit = commitTimeNs;
    }
  }

  /** Every payload field is needed (parents, departures), so the ports decode records. */
  @Override
  public boolean wantsRecords() {
    return true;
  }

  @Override
  public synchronized void message(int cpu, Message m, long nowNs) {
    last = Math.max(last, nowNs);
    if (!m.type().isTaskMessage()) return;
    long gtid = m.gtid();
    // How each message leaves its task follows ghost-userspace's per-CPU FIFO agent
    // (schedulers/fifo/per_cpu/fifo_scheduler.cc, TaskOffCpu's blocked flag): BLOCKED and
    // SWITCHTO leave it blocked, PREEMPT and YIELD runnable.
    switch (m.type()) {
      case TASK_NEW -> {
        TaskNew n = (TaskNew) m.payload();
        task(gtid).runtime = n.runtime();
        seen.add(new Seen(gtid, n.parentGtid(), n.runnable(), nowNs));
      }
      case TASK_WAKEUP -> wakes.add(new Wake(gtid, nowNs));
      case TASK_BLOCKED -> {
        TaskBlocked b = (TaskBlocked) m.payload();
        stop(gtid, b.cpu(), b.runtime(), nowNs, End.SLEEPING);
      }
      case TASK_PREEMPT -> {
        TaskPreempt p = (TaskPreempt) m.payload();
        stop(gtid, p.cpu(), p.runtime(), nowNs, End.RUNNABLE);
      }
      case TASK_YIELD -> {
        TaskYield y = (TaskYield) m.payload();
        stop(gtid, y.cpu(), y.runtime(), nowNs, End.RUNNABLE);
      }
      case TASK_SWITCHTO -> {
        TaskSwitchto s = (TaskSwitchto) m.payload();
        stop(gtid, s.cpu(), s.runtime(), nowNs, End.SLEEPING);
      }
      case TASK_DEPARTED -> {
        TaskDeparted d = (TaskDeparted) m.payload();
        if (d.wasCurrent()) stop(gtid, d.cpu(), -1, nowNs, End.SLEEPING);
      }
      case TASK_DEAD -> stop(gtid, ((TaskDead) m.payload()).cpu(), -1, nowNs, End.EXITED);
      default -> {}
    }
  }

  private TaskState task(long gtid) {
    return tasks.computeIfAbsent(gtid, g -> new TaskState());
  }

  /** A message says {@code gtid} left {@code cpu}; {@code runtime} < 0 when it does not say. */
  private void stop(long gtid, int cpu, long runtime, long seenNs, End end) {
    TaskState t = task(gtid);
    long delta = runtime < 0 ? -1 : Math.max(0, runtime - t.runtime);
    if (runtime >= 0) t.runtime = runtime;
    if (t.runCpu >= 0 && (cpu < 0 || cpu == t.runCpu)) {
      t.lastRun = runs.size();
      runs.add(new Run(t.runCpu, gtid, t.runCommit, delta, seenNs, end));
      t.runCpu = -1;
    } else if (end == End.EXITED && t.lastRun >= 0 && runs.get(t.lastRun).end() == End.SLEEPING) {
      // An exiting task is dequeued as a sleep (TASK_BLOCKED), then TASK_DEAD follows: its last
      // run ended in exit, as the kernel's sched_switch says (prev_state X).
      Run r = runs.get(t.lastRun);
      runs.set(t.lastRun, new Run(r.cpu(), gtid, r.commit(), r.delta(), r.seen(), End.EXITED));
    } else if (cpu >= 0) {
      t.unmatched.addLast(new Stop(cpu, delta, seenNs, end));
    }
  }

  /** The schedule rebuilt from what was observed, for {@code cpus} CPUs (ids 0..cpus-1). */
  public synchronized ScheduleLog toLog(int cpus) {
    LiveSchedule s = new LiveSchedule(cpus);
    for (Pass p : passes) if (p.cpu() < cpus) s.pass(p.cpu(), p.begin(), p.end());
    for (Run r : runs) {
      if (r.cpu() >= cpus) continue;
      s.run(r.cpu(), r.gtid(), anchor(r), r.delta(), r.seen(), r.end().ordinal());
    }
    // a task still on a CPU at the end runs until the last time seen
    for (Map.Entry<Long, TaskState> e : tasks.entrySet()) {
      TaskState t = e.getValue();
      if (t.runCpu >= 0 && t.runCpu < cpus) s.run(t.runCpu, e.getKey(), t.runCommit, -1, last, -1);
    }
    for (Seen n : seen) s.task(n.gtid(), n.parent(), names.apply(n.gtid()), n.runnable(), n.time());
    for (Wake w : wakes) s.wake(w.gtid(), w.time());
    for (Commit c : commits) s.commit(c.time(), c.cpu(), c.gtid(), c.outcome());
    return s.replay(last);
  }

  /** When the run began: its commit, or earlier if its runtime ends it before it was seen. */
  private static long anchor(Run r) {
    if (r.delta() < 0) return Math.min(r.commit(), r.seen());
    return Math.min(r.commit(), r.seen() - r.delta());
  }
}
