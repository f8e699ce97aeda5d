package dev.ghostgym.sim;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.CpuTick;
import dev.ghostgym.abi.CpuTimerExpired;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.Payload;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskBlocked;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskDeparted;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskOnCpu;
import dev.ghostgym.abi.TaskPreempt;
import dev.ghostgym.abi.TaskWakeup;
import dev.ghostgym.abi.TaskYield;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.config.Arrival;
import dev.ghostgym.config.Source;
import dev.ghostgym.config.Step;
import dev.ghostgym.config.TaskTemplate;
import dev.ghostgym.config.Workload;
import dev.ghostgym.sim.metrics.RunMetrics;
import dev.ghostgym.sim.metrics.TaskRecord;
import dev.ghostgym.sim.metrics.TraceHash;
import dev.ghostgym.sim.port.AgentHost;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated machine whose CPUs are scheduled by ghOSt: the kernel side of ghost-model.md
 * section 2 (classes, messages, barriers, queues, txns, agent death, enclave destruction) driven
 * by a workload, with the agents behind an {@link AgentHost}. Single-threaded and deterministic:
 * events of one instant fire in the order they were scheduled, agents activated at one instant
 * run in CPU order, and their txns are applied in CPU order.
 */
public final class Machine {
  static final int EV_ARRIVAL = 0, EV_BURST_END = 1, EV_WAKE = 2, EV_COMMIT_POINT = 3, EV_TICK = 4,
      EV_CFS_SLICE = 5, EV_CALL = 6, EV_TIMER = 7;
  // Trace record kinds.
  static final int TR_MSG = 1, TR_SUPPRESSED = 2, TR_TXN = 3, TR_RUN = 4, TR_STOP = 5, TR_ACTIVATE = 6,
      TR_YIELD = 7, TR_ARRIVE = 8, TR_EXIT = 9;
  private static final AbiVersion ABI = AbiVersion.V91;
  private static final int[] SLOTS = new int[256];

  static {
    for (MessageType t : MessageType.values()) SLOTS[t.number()] = t.slots(ABI);
  }

  /** 8-byte ring slots a message of this type takes (ABI 91), from a table: asked per message. */
  static int slots(MessageType t) { return SLOTS[t.number()]; }

  final SimConfig cfg;
  final Overheads costs;
  private final Workload workload;
  private AgentHost host;
  final SimCpu[] cpus;
  final int[] enclaveCpus;
  final List<SimQueue> queues = new ArrayList<>();
  SimQueue defaultQueue;
  final LongMap<SimTask> tasks = new LongMap<>();
  /** Live tasks beyond which a run is stopped as unstable (see {@link #unstable()}). */
  private final long maxLiveTasks = Long.getLong("ghostgym.maxLiveTasks", 1_000_000L);
  private String stopReason;
  private final EventQueue events = new EventQueue();
  final RunMetrics metrics = new RunMetrics();
  final TraceHash trace = new TraceHash();
  final Invariants invariants;
  private final MachinePort[] ports;
  private final MachinePort setupPort;
  long now;
  boolean enclaveAlive = true;
  final dev.ghostgym.sim.port.Oracle oracle = new dev.ghostgym.sim.port.Oracle() {
    @Override public long remainingNs(long gtid) {
      SimTask t = tasks.get(gtid);
      if (t == null) return -1;
      return t.state == SimTask.ONCPU ? Math.max(0, t.remaining - Math.max(0, now - t.runStart)) : t.remaining;
    }

    @Override public long burstNs(long gtid) {
      SimTask t = tasks.get(gtid);
      return t == null ? -1 : t.burst;
    }

    @Override public long deadlineNs(long gtid) {
      SimTask t = tasks.get(gtid);
      return t == null ? Long.MAX_VALUE : t.deadlineAbs;
    }
  };

  private final boolean[] pending;
  private int[] activations;
  private int activationCount;
  private final int[] batch;
  private final int[] spinners;
  private final int[] held;
  private int heldCount;
  private int batchSize;
  private int batchNext;
  private int spinnerCount;

  private final SourceState[] sources;
  private long openCreated;
  private int nextTid = 1;
  private int cfsNext;
  private long pendingFinite;
  private long liveInfinite;
  private long inSystem;
  private long departedAlive;
  private long waitingCount;
  private long waitingSinceSum;
  private long waitedNs;
  private long inSystemArea;
  private long lastAreaChange;
  private boolean started;
  private SimResult result;
  private int suspended;
  private int sameInstant;
  private long lastInstant = -1;
  private java.util.function.Consumer<TaskRecord> taskLog;
  java.util.function.Consumer<Message> deliveredTap;

  /** Per-source generator state. */
  private static final class SourceState {
    final int index;
    final Source source;
    final SplittableRandom arrivals;
    final boolean finite;
    long created;
    int fixedNext;

    SourceState(int index, Source source, long seed) {
      this.index = index;
      this.source = source;
      this.arrivals = new SplittableRandom(mix(seed, index, -1));
      this.finite = Double.isFinite(source.template().program().meanServiceNs());
    }
  }

  public Machine(SimConfig cfg, Workload workload, AgentHost host) {
    this.cfg = cfg;
    this.costs = cfg.overheads();
    this.workload = workload;
    this.host = host;
    // An ideal global agent gets a CPU of its own that runs no task (id = cfg.cpus()).
    int n = cfg.cpus() + (costs.agentOccupiesCpu() ? 0 : 1);
    this.cpus = new SimCpu[n];
    for (int i = 0; i < n; i++) cpus[i] = new SimCpu(i, i < cfg.cpus());
    this.enclaveCpus = new int[cfg.cpus()];
    for (int i = 0; i < cfg.cpus(); i++) enclaveCpus[i] = i;
    this.pending = new boolean[n];
    this.activations = new int[n];
    this.batch = new int[n];
    this.spinners = new int[n];
    this.held = new int[n];
    this.ports = new MachinePort[n];
    for (int i = 0; i < n; i++) ports[i] = new MachinePort(this, i);
    this.setupPort = new MachinePort(this, -1);
    this.invariants = cfg.checkInvariants() ? new Invariants(this) : null;
    List<Source> srcs = workload.sources();
    this.sources = new SourceState[srcs.size()];
    for (int i = 0; i < srcs.size(); i++) sources[i] = new SourceState(i, srcs.get(i), cfg.seed());
  }

  /** Number of CPUs including an ideal global agent's extra CPU. */
  public int cpuCount() { return cpus.length; }

  public long now() { return now; }

  public RunMetrics metrics() { return metrics; }

  public Workload workload() { return workload; }

  /** Receives a record of every task when it exits or departs from ghOSt (null: none). */
  public void taskLog(java.util.function.Consumer<TaskRecord> log) { this.taskLog = log; }

  private void logTask(SimTask t, boolean departed) {
    if (taskLog == null) return;
    taskLog.accept(new TaskRecord(t.gtid, t.template.className(), t.template.hint(), departed,
        t.arrival, t.firstRun, now, t.waitSum, t.runtime, t.preemptions, t.migrations));
  }

  /** CPU time a live task has received so far (ns), including a burst in progress; -1 if gone. */
  public long taskRuntime(long gtid) {
    SimTask t = tasks.get(gtid);
    if (t == null) return -1;
    return t.state == SimTask.ONCPU ? t.runtime + Math.max(0, now - t.runStart) : t.runtime;
  }

  /** What the machine knows of a live task, or null when it is gone. */
  public TaskStat taskStat(long gtid) {
    SimTask t = tasks.get(gtid);
    if (t == null) return null;
    return new TaskStat(t.state, t.cpu, taskRuntime(gtid), t.preemptions, t.ghost);
  }

  /** Sees every message an agent takes from a queue, as it is taken (null: none). */
  public void deliveredTap(java.util.function.Consumer<Message> tap) { this.deliveredTap = tap; }

  /** The gtids of the live tasks, ascending. */
  public List<Long> liveTasks() { return tasks.keySet(); }

  /** Runs {@code action} at simulated time {@code atNs} (fault injection, upgrades, tests). */
  public void at(long atNs, Runnable action) {
    events.add(atNs, EV_CALL, action, 0);
  }

  // ------------------------------------------------------------------------------------------------
  // The event loop

  /**
   * Runs the simulation to its end and returns the result. Every decision must be answered
   * synchronously; a run whose agents defer decisions is driven with {@link #runUntilPause()}.
   */
  public SimResult run() {
    if (runUntilPause()) {
      throw new IllegalStateException("an agent deferred a decision: drive this machine with runUntilPause()/resume");
    }
    return result;
  }

  /**
   * Runs until the run ends (returns false; then {@link #result()}) or until an agent suspended its
   * activation to wait for a decision from outside (returns true). The next call first resumes the
   * suspended agents at the same instant, so a pause costs no simulated time.
   */
  public boolean runUntilPause() {
    if (result != null) return false;
    if (!started) start();
    if (suspended > 0) {
      resumeBatch();
      if (suspended > 0) return true;
    }
    while (stopReason == null) {
      while (!events.isEmpty() && events.peekTime() == now && stopReason == null) fire();
      if (tasks.size() > maxLiveTasks) unstable();
      if (activationCount > 0) {
        if (now == lastInstant && ++sameInstant > 1_000_000) {
          throw new IllegalStateException("agent livelock: more than 1,000,000 activations at t=" + now + " ns");
        }
        if (now != lastInstant) { lastInstant = now; sameInstant = 0; }
        runActivations();
        if (suspended > 0) return true;
        continue;
      }
      if (finished() || events.isEmpty()) break;
      long t = events.peekTime();
      if (t < now) { // now + delay passed 2^63 ns: the event would fire "before" the present
        stopReason = String.format(java.util.Locale.ROOT, "simulated clock overflow after t=%.3f s: an event "
            + "was scheduled more than 2^63 ns (292 years) ahead; an arrival rate or a duration is too extreme "
            + "(e.g. --set load=1e-13); raise it, or give --duration", now / 1e9);
        break;
      }
      if (cfg.durationNs() > 0 && t > cfg.durationNs()) {
        now = cfg.durationNs();
        break;
      }
      now = t;
    }
    accountInSystem();
    if (invariants != null && stopReason == null) invariants.atEnd();
    result = SimResult.of(this);
    return false;
  }

  /** Why the run was stopped before its end (queue overflow, unbounded growth), else null. */
  public String stopReason() { return stopReason; }

  /**
   * A full message queue. ghOSt's kernel drops the message and counts it in the ring's
   * {@code overflow} word ({@code _produce} in kernel/sched/ghost.c returns -EOVERFLOW), and the
   * agent library treats a non-zero overflow as fatal (the agent process CHECK-fails), so the
   * agents exit and the enclave is destroyed, its tasks going back to CFS. The model does not
   * continue past that point: it drops the message as the kernel does and stops the run here,
   * with what happened as the result.
   */
  private void overflowed(SimQueue q, Message m) {
    if (stopReason != null) return;
    stopReason = String.format(java.util.Locale.ROOT, "message queue %d overflowed at simulated t=%.6f s "
        + "(%d of %d slots used, %s dropped, %d tasks in the system): ghOSt's kernel drops the message and "
        + "counts it in the ring's overflow word, the agent treats that as fatal and the enclave is destroyed "
        + "(its tasks go back to CFS); the agents cannot keep up with this load on this many CPUs",
        q.id, now / 1e9, q.usedSlots, q.capacitySlots, m.type(), tasks.size());
  }

  /**
   * Live tasks beyond {@link #maxLiveTasks}: arrivals outpace service and the queues grow without
   * bound, so the run would end only when memory does. Stopped with the numbers that show it.
   */
  private void unstable() {
    stopReason = String.format(java.util.Locale.ROOT, "unstable: %,d tasks in the system at simulated t=%.6f s "
        + "(%,d arrived, %,d completed): arrivals outpace service and the queues grow without bound; lower the load "
        + "or add CPUs (limit: -Dghostgym.maxLiveTasks=%d)", tasks.size(), now / 1e9, metrics.arrived(),
        metrics.completed(), maxLiveTasks);
  }

  /** The result once {@link #runUntilPause()} returned false, else null. */
  public SimResult result() { return result; }

  /** Agents suspended now, waiting for an outside decision. */
  public int suspendedAgents() { return suspended; }

  private void start() {
    started = true;
    host.attach(setupPort);
    for (SourceState s : sources) startSource(s);
    if (cfg.deliverTicks()) {
      for (int c : enclaveCpus) events.add(cfg.tickPeriodNs(), EV_TICK, cpus[c], 0);
    }
  }

  void suspend(SimCpu c) {
    c.agent = SimCpu.SUSPENDED;
    suspended++;
  }

  private boolean finished() {
    if (pendingFinite > 0 || !arrivalsDone()) return false;
    return cfg.durationNs() == 0 || liveInfinite == 0;
  }

  private boolean arrivalsDone() {
    for (SourceState s : sources) {
      Arrival a = s.source.arrival();
      if (a instanceof Arrival.Poisson) {
        if (cfg.maxTasks() == 0 || openCreated < cfg.maxTasks()) return false;
      } else if (a instanceof Arrival.Fixed f) {
        if (s.fixedNext < f.timesNs().size() && (cfg.maxTasks() == 0 || openCreated < cfg.maxTasks())) return false;
      }
    }
    return true;
  }

  private void fire() {
    int kind = events.peekKind();
    Object ref = events.peekRef();
    long arg = events.peekArg();
    events.poll();
    switch (kind) {
      case EV_ARRIVAL -> arrive((SourceState) ref);
      case EV_BURST_END -> burstEnd((SimTask) ref, (int) arg);
      case EV_WAKE -> wake((SimTask) ref);
      case EV_COMMIT_POINT -> commitPoint((SimCpu) ref, (int) arg);
      case EV_TICK -> tick((SimCpu) ref);
      case EV_CFS_SLICE -> cfsSlice((SimCpu) ref, (int) arg);
      case EV_CALL -> ((Runnable) ref).run();
      case EV_TIMER -> timerExpired((SimCpu) ((Object[]) ref)[0], (Long) ((Object[]) ref)[1]);
      default -> throw new IllegalStateException("unknown event kind " + kind);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Workload: sources and task programs

  private void startSource(SourceState s) {
    Arrival a = s.source.arrival();
    if (a instanceof Arrival.Poisson) {
      scheduleNextPoisson(s);
    } else if (a instanceof Arrival.Fixed f) {
      if (!f.timesNs().isEmpty()) events.add(f.timesNs().get(0), EV_ARRIVAL, s, 0);
    } else if (a instanceof Arrival.Pool p) {
      for (int i = 0; i < p.workers(); i++) createTask(s, s.source.template(), Gtid.NULL, null);
    }
  }

  private void scheduleNextPoisson(SourceState s) {
    if (cfg.maxTasks() > 0 && openCreated >= cfg.maxTasks()) return;
    double rate = ((Arrival.Poisson) s.source.arrival()).ratePerSecond();
    double u = s.arrivals.nextDouble();
    long gap = (long) Math.ceil(-Math.log1p(-u) / rate * 1e9);
    events.add(now + Math.max(gap, 1), EV_ARRIVAL, s, 0);
  }

  private void arrive(SourceState s) {
    if (cfg.maxTasks() > 0 && openCreated >= cfg.maxTasks()) return;
    openCreated++;
    createTask(s, s.source.template(), Gtid.NULL, null);
    Arrival a = s.source.arrival();
    if (a instanceof Arrival.Poisson) {
      scheduleNextPoisson(s);
    } else if (a instanceof Arrival.Fixed f) {
      s.fixedNext++;
      if (s.fixedNext < f.timesNs().size()) {
        events.add(Math.max(now, f.timesNs().get(s.fixedNext)), EV_ARRIVAL, s, 0);
      }
    }
  }

  private SimTask createTask(SourceState s, TaskTemplate tmpl, long parentGtid, SimTask parent) {
    SplittableRandom rng = parent != null ? parent.rng.split()
        : new SplittableRandom(mix(cfg.seed(), s.index, s.created));
    s.created++;
    long deadline = tmpl.deadline() == null ? Long.MAX_VALUE : now + tmpl.deadline().sample(rng);
    long gtid = Gtid.of(nextTid++, 0);
    SimTask t = new SimTask(gtid, parentGtid, tmpl, s.index, rng, now, deadline);
    prefetch(t);
    becomeRunnable(t);
    tasks.put(gtid, t);
    metrics.taskArrived();
    accountInSystem();
    inSystem++;
    if (Double.isFinite(tmpl.program().meanServiceNs())) pendingFinite++; else liveInfinite++;
    trace.record(TR_ARRIVE, now, gtid, s.index, tmpl.enclave() ? 1 : 0);
    if (t.ghost) {
      t.queue = enclaveAlive ? defaultQueue : null;
      if (!enclaveAlive) {
        t.ghost = false;
      } else {
        produceTask(t, MessageType.TASK_NEW,
            new TaskNew(gtid, parentGtid, 0, true, tmpl.nice(), swInfo(t), tmpl.hint()));
        return t;
      }
    }
    cfsEnqueue(cfsHome(t), t);
    return t;
  }

  private SimCpu cfsHome(SimTask t) {
    if (t.cpu >= 0 && cpus[t.cpu].taskCpu) return cpus[t.cpu];
    SimCpu c = cpus[enclaveCpus[cfsNext % enclaveCpus.length]];
    cfsNext++;
    return c;
  }

  private static SwInfo swInfo(SimTask t) {
    return new SwInfo(0, Gtid.tid(t.gtid));
  }

  private void accountInSystem() {
    inSystemArea += inSystem * (now - lastAreaChange);
    lastAreaChange = now;
  }

  /**
   * A task became runnable: draw its next burst now, so that the oracle knows its job size while it
   * waits (draws come from the task's own stream in program order, so timing does not change them).
   */
  private void prefetch(SimTask t) {
    if (t.remaining > 0 || t.pending != null) return;
    Step s = t.cursor.next();
    if (s instanceof Step.Run r) {
      long d = r.duration().sample(t.rng);
      if (d > 0) {
        t.remaining = d;
        t.burst = d;
        return;
      }
      s = t.cursor.next();
    }
    t.pending = s == null ? SimTask.END : s;
  }

  /** The task on CPU c has used up its burst (or has none yet): run its next steps. */
  private void advance(SimCpu c, SimTask t) {
    while (true) {
      Step s = t.pending != null ? t.pending : t.cursor.next();
      t.pending = null;
      if (s == SimTask.END) s = null;
      if (s == null) {
        exit(c, t);
        return;
      }
      if (s instanceof Step.Run r) {
        long d = r.duration().sample(t.rng);
        if (d <= 0) continue;
        t.remaining = d;
        t.burst = d;
        // A task still in its context switch starts its burst when the switch ends.
        t.burstHandle = events.add(Math.max(now, t.runStart) + d, EV_BURST_END, t, t.epoch);
        return;
      }
      if (s instanceof Step.Sleep sl) {
        long d = sl.duration().sample(t.rng);
        stopTask(c, t);
        t.state = SimTask.BLOCKED;
        if (t.ghost) {
          c.cpuSeqnum++;
          produceTask(t, MessageType.TASK_BLOCKED,
              new TaskBlocked(t.gtid, t.runtime, c.cpuSeqnum, c.id, false));
          if ((t.lastRunFlags & RunFlags.RTLA_ON_BLOCKED) != 0) wakeAgent(c);
        }
        events.add(now + d, EV_WAKE, t, 0);
        afterStop(c);
        return;
      }
      if (s == Step.Yield.INSTANCE) {
        stopTask(c, t);
        prefetch(t);
        becomeRunnable(t);
        if (t.ghost) {
          c.cpuSeqnum++;
          produceTask(t, MessageType.TASK_YIELD,
              new TaskYield(t.gtid, t.runtime, c.cpuSeqnum, t.template.hint(), c.id, false));
          if ((t.lastRunFlags & RunFlags.RTLA_ON_YIELD) != 0) wakeAgent(c);
        } else {
          c.cfs.addLast(t);
        }
        afterStop(c);
        return;
      }
      if (s == Step.Depart.INSTANCE) {
        if (t.ghost) depart(c, t, true);
        continue;
      }
      if (s instanceof Step.Spawn sp) {
        createTask(sources[t.sourceIndex], sp.child(), t.gtid, t);
        continue;
      }
      throw new IllegalStateException("unknown step " + s);
    }
  }

  private void exit(SimCpu c, SimTask t) {
    stopTask(c, t);
    t.state = SimTask.DEAD;
    accountInSystem();
    inSystem--;
    if (Double.isFinite(t.template.program().meanServiceNs())) pendingFinite--; else liveInfinite--;
    trace.record(TR_EXIT, now, t.gtid, c.id, t.runtime);
    if (t.departed) departedAlive--;
    if (!t.departed) {
      metrics.taskCompleted(t.arrival, now, t.runtime, t.waitSum, t.preemptions, t.migrations);
      logTask(t, false);
    }
    if (t.ghost) {
      produceTask(t, MessageType.TASK_DEAD, new TaskDead(t.gtid, c.id));
      // The kernel frees the word itself when TASK_DEAD could not be delivered.
      if (t.queue == null || t.msgGated) tasks.remove(t.gtid);
    } else {
      tasks.remove(t.gtid);
    }
    afterStop(c);
  }

  /** The task leaves the ghOSt class and continues in CFS (sched_setscheduler, or the reaper). */
  void depart(SimCpu c, SimTask t, boolean wasCurrent) {
    if (c != null) c.cpuSeqnum++;
    produceTask(t, MessageType.TASK_DEPARTED,
        new TaskDeparted(t.gtid, c == null ? 0 : c.cpuSeqnum, c == null ? t.cpu : c.id, false, wasCurrent));
    t.ghost = false;
    t.msgGated = true;
    t.departed = true;
    departedAlive++;
    metrics.taskDeparted();
    logTask(t, true);
    if (wasCurrent && c != null) {
      t.cfsCpu = c.id;
      markCfsBusy(c);
    }
  }

  private void wake(SimTask t) {
    if (t.state != SimTask.BLOCKED) return;
    prefetch(t);
    becomeRunnable(t);
    if (t.ghost) {
      int last = t.cpu;
      produceTask(t, MessageType.TASK_WAKEUP,
          new TaskWakeup(t.gtid, t.template.hint(), false, last, last, -1));
    } else {
      cfsEnqueue(cfsHome(t), t);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Running tasks on CPUs

  /**
   * The task is runnable and off CPU from now on. Enclave tasks are counted while they wait, so
   * that the total waiting time up to any instant is known in O(1) ({@link #waitingTimeNs()}).
   */
  private void becomeRunnable(SimTask t) {
    t.state = SimTask.RUNNABLE;
    if (t.waiting) return; // already waiting since an earlier instant
    t.runnableSince = now;
    if (!t.template.enclave()) return;
    t.waiting = true;
    waitingCount++;
    waitingSinceSum += now;
  }

  /** Total time enclave tasks have spent runnable but not running, up to now (ns). */
  public long waitingTimeNs() { return waitedNs + waitingCount * now - waitingSinceSum; }

  /** Enclave tasks runnable but not running now. */
  public long waitingTasks() { return waitingCount; }

  private void startTask(SimCpu c, SimTask t) {
    startTask(c, t, 0);
  }

  /**
   * Puts {@code t} on CPU c. {@code switchNs} is a context switch the CPU spends first, running
   * nothing: CFS pays it (the paper's 599 ns); a ghOSt task's switch is in its agent's commit cost.
   */
  private void startTask(SimCpu c, SimTask t, long switchNs) {
    if (invariants != null) invariants.beforeStart(c, t);
    c.current = t;
    if (t.cpu >= 0 && t.cpu != c.id) t.migrations++;
    t.cpu = c.id;
    t.state = SimTask.ONCPU;
    if (t.firstRun < 0) t.firstRun = now;
    long waited = now - t.runnableSince;
    t.waitSum += waited;
    if (t.waiting) {
      t.waiting = false;
      waitingCount--;
      waitingSinceSum -= t.runnableSince;
      waitedNs += waited;
    }
    metrics.wakeupLatency(waited);
    t.runStart = now + switchNs;
    trace.record(TR_RUN, now, c.id, t.gtid, t.ghost ? 1 : 0);
    if (t.ghost && (t.lastRunFlags & RunFlags.SEND_TASK_ON_CPU) != 0) {
      produceTask(t, MessageType.TASK_ON_CPU, new TaskOnCpu(t.gtid, now, c.cpuSeqnum, c.id));
    }
    if (!t.ghost && c.cfs.size() > 0) events.add(now + cfg.cfsSliceNs(), EV_CFS_SLICE, c, c.cfsEpoch);
    if (t.remaining > 0) {
      t.burstHandle = events.add(t.runStart + t.remaining, EV_BURST_END, t, t.epoch);
    } else {
      advance(c, t);
    }
  }

  /** Takes the current task off CPU c, charging what it ran. */
  private void stopTask(SimCpu c, SimTask t) {
    long ran = Math.max(0, now - t.runStart); // stopped during its context switch: it ran nothing
    t.runtime += ran;
    t.remaining = Math.max(0, t.remaining - ran);
    t.epoch++;
    events.cancel(t.burstHandle); // a preempted burst's end must not linger in the agenda
    t.burstHandle = EventQueue.NONE;
    if (t.ghost) c.ghostBusy += ran; else c.cfsBusy += ran;
    c.current = null;
    if (!t.ghost) c.cfsEpoch++;
    trace.record(TR_STOP, now, c.id, t.gtid, ran);
  }

  private void burstEnd(SimTask t, int epoch) {
    if (t.epoch != epoch || t.state != SimTask.ONCPU) return;
    t.burstHandle = EventQueue.NONE; // fired: the handle may be reused by the next event
    SimCpu c = cpus[t.cpu];
    long ran = now - t.runStart;
    t.runtime += ran;
    if (t.ghost) c.ghostBusy += ran; else c.cfsBusy += ran;
    t.runStart = now;
    t.remaining = 0;
    advance(c, t);
  }

  /** A ghOSt task is forced off CPU c while still runnable: TASK_PREEMPT. */
  private void preemptGhost(SimCpu c, SimTask t, boolean elide) {
    stopTask(c, t);
    becomeRunnable(t);
    t.preemptions++;
    c.cpuSeqnum++;
    TaskPreempt p = new TaskPreempt(t.gtid, t.runtime, c.cpuSeqnum, t.template.hint(), c.id, false, false);
    if (elide) suppress(t); else produceTask(t, MessageType.TASK_PREEMPT, p);
    if ((t.lastRunFlags & RunFlags.RTLA_ON_PREEMPT) != 0) wakeAgent(c);
  }

  /** The latched (committed, not yet running) task of c is displaced: TASK_PREEMPT{was_latched}. */
  private void preemptLatched(SimCpu c) {
    SimTask t = c.latched;
    c.latched = null;
    t.latched = false;
    c.cpuSeqnum++;
    produceTask(t, MessageType.TASK_PREEMPT,
        new TaskPreempt(t.gtid, t.runtime, c.cpuSeqnum, t.template.hint(), c.id, false, true));
  }

  /** After a task left CPU c: update CFS flags and pick what runs next. */
  private void afterStop(SimCpu c) {
    if (!c.cfsWantsCpu()) clearCfsBusy(c);
    resched(c);
  }

  /** Picks what runs on c now, in class order: agent, CFS, the latched ghOSt task, idle. */
  void resched(SimCpu c) {
    if (c.agentActive()) return; // the agent owns the CPU; pick again when it blocks
    SimTask cur = c.current;
    if (cur != null) {
      if (!cur.ghost) return;
      if (!c.cfs.isEmpty()) {
        preemptGhost(c, cur, false);
      } else if (c.latched != null) {
        preemptGhost(c, cur, (c.latched.lastRunFlags & RunFlags.ELIDE_PREEMPT) != 0);
      } else {
        return;
      }
      // The preemption can wake this CPU's agent (RTLA_ON_PREEMPT, or TASK_PREEMPT into a queue
      // woken here). The agent class is picked first (section 2.1); starting the latched or CFS
      // task now would run it while the agent is runnable (invariant 6). runActivations deals
      // with the latched task (TASK_PREEMPT{was_latched}) and the agent yields for CFS.
      if (c.agentActive()) return;
    }
    if (!c.cfs.isEmpty()) {
      if (c.latched != null) preemptLatched(c);
      startTask(c, c.cfs.pollFirst(), costs.contextSwitch());
      return;
    }
    if (c.latched != null) {
      SimTask t = c.latched;
      c.latched = null;
      t.latched = false;
      startTask(c, t);
      return;
    }
    if (c.agent == SimCpu.BLOCKED && (c.yieldFlags & RunFlags.RTLA_ON_IDLE) != 0) wakeAgent(c);
  }

  // ------------------------------------------------------------------------------------------------
  // CFS (non-enclave tasks, departed tasks, everything after enclave destruction)

  private void cfsEnqueue(SimCpu c, SimTask t) {
    t.cfsCpu = c.id;
    becomeRunnable(t);
    c.cfs.addLast(t);
    SimTask cur = c.current;
    if (cur != null && !cur.ghost) {
      if (c.cfs.size() == 1) events.add(Math.max(now, cur.runStart + cfg.cfsSliceNs()), EV_CFS_SLICE, c, c.cfsEpoch);
      return;
    }
    markCfsBusy(c);
    // A CFS task preempts ghOSt: TASK_PREEMPT for the running (or latched) task, and the agent is
    // told through BOOST_PRIO to yield the CPU as soon as it can.
    if (cur != null) preemptGhost(c, cur, false);
    if (c.latched != null) preemptLatched(c);
    resched(c);
  }

  /**
   * CFS wants CPU c. A blocked agent is not woken for it (the kernel would not pick it): it sees
   * BOOST_PRIO when a message wakes it, e.g. the TASK_PREEMPT of a displaced ghOSt task.
   */
  private void markCfsBusy(SimCpu c) {
    c.swFlags = (c.swFlags | StatusFlags.BOOST_PRIO) & ~StatusFlags.CPU_AVAIL;
  }

  /**
   * CFS left CPU c. A spinning global agent would notice CPU_AVAIL on its next poll; it is only
   * re-run on news here, so tell it.
   */
  private void clearCfsBusy(SimCpu c) {
    int before = c.swFlags;
    c.swFlags = (c.swFlags | StatusFlags.CPU_AVAIL) & ~StatusFlags.BOOST_PRIO;
    if (before != c.swFlags) notifyPollers();
  }

  private void cfsSlice(SimCpu c, int epoch) {
    if (epoch != c.cfsEpoch || c.current == null || c.current.ghost || c.cfs.isEmpty()) return;
    SimTask t = c.current;
    stopTask(c, t);
    becomeRunnable(t);
    c.cfs.addLast(t);
    resched(c);
  }

  // ------------------------------------------------------------------------------------------------
  // Messages, barriers, agents

  private void produceTask(SimTask t, MessageType type, Payload p) {
    t.barrier++;
    if (invariants != null) invariants.produced(t, type, p);
    if (t.msgGated || t.queue == null) {
      trace.record(TR_SUPPRESSED, now, type.number(), t.barrier, t.gtid);
      return;
    }
    enqueue(t.queue, new Message(type, t.barrier, p), t.gtid, t.cpu);
  }

  /**
   * ELIDE_PREEMPT: no TASK_PREEMPT and no barrier increment. The kernel makes no message attempt
   * here (pick_next_task_ghost clears check_prev_preemption), and only attempts move Tseq
   * (section 2.3); moving it left the agent's seqnum for the displaced task stale for good, since
   * no message would ever carry the new value, so every later commit of it was TARGET_STALE.
   */
  private void suppress(SimTask t) {
    if (invariants != null) invariants.produced(t, MessageType.TASK_PREEMPT, null);
    trace.record(TR_SUPPRESSED, now, MessageType.TASK_PREEMPT.number(), t.barrier, t.gtid);
  }

  private void produceCpu(SimCpu c, MessageType type, Payload p) {
    if (c.agentQueue < 0) return;
    enqueue(queues.get(c.agentQueue), new Message(type, c.aseq + 1, p), -1, c.id);
  }

  private void enqueue(SimQueue q, Message m, long gtid, int cpu) {
    int slots = slots(m.type());
    if (q.usedSlots + slots > q.capacitySlots) {
      overflowed(q, m);
      return;
    }
    q.messages.addLast(m);
    q.usedSlots += slots;
    metrics.message(m.type());
    trace.record(TR_MSG, now, m.type().number(), m.seqnum(), gtid == -1 ? cpu : gtid);
    if (gtid == -1) {
      wakeAgent(cpus[cpu]);
      return;
    }
    int[] w = q.wakeup;
    if (w.length == 0) {
      notifyPollers();
    } else {
      int target = w[0];
      for (int x : w) if (x == cpu) target = x;
      wakeAgent(cpus[target]);
    }
  }

  /** A wakeup aimed at c's agent: bump its barrier and run it if it was blocked or spinning idle. */
  void wakeAgent(SimCpu c) {
    if (c.agent == SimCpu.NO_AGENT) return;
    c.aseq++;
    if (c.agent == SimCpu.BLOCKED || c.agent == SimCpu.SPINNING) activate(c);
  }

  private void notifyPollers() {
    for (int i = 0; i < spinnerCount; i++) {
      SimCpu c = cpus[spinners[i]];
      if (c.agent == SimCpu.SPINNING) activate(c);
      else if (c.agent == SimCpu.RUNNING || c.agent == SimCpu.SUSPENDED) c.pollDirty = true;
    }
  }

  void activate(SimCpu c) {
    c.wasBlocked = c.agent == SimCpu.BLOCKED;
    c.agent = SimCpu.RUNNABLE;
    if (!pending[c.id]) {
      pending[c.id] = true;
      activations[activationCount++] = c.id;
    }
  }

  private void runActivations() {
    int n = 0;
    for (int i = 0; i < activationCount; i++) {
      int id = activations[i];
      pending[id] = false;
      if (cpus[id].agent == SimCpu.RUNNABLE) batch[n++] = id;
    }
    activationCount = 0;
    Arrays.sort(batch, 0, n);
    for (int i = 0; i < n; i++) {
      SimCpu c = cpus[batch[i]];
      // The agent takes the CPU: a running ghOSt task is preempted, a CFS task waits.
      SimTask cur = c.current;
      if (cur != null) {
        if (cur.ghost) {
          preemptGhost(c, cur, false);
        } else {
          stopTask(c, cur);
          becomeRunnable(cur);
          c.cfs.addFirst(cur);
        }
      }
      if (c.latched != null
          && (c.latched.lastRunFlags & RunFlags.DEFER_LATCHED_PREEMPTION_BY_AGENT) == 0) {
        preemptLatched(c);
      }
      c.agent = SimCpu.RUNNING;
      c.agentSince = now;
      c.drained = 0;
      c.spent = 0;
      c.commitCount = 0;
      c.yieldRequested = false;
      c.pollDirty = false;
      c.activationEpoch++;
      metrics.activation();
      trace.record(TR_ACTIVATE, now, c.id, c.aseq, 0);
    }
    batchSize = n;
    runBatch(0);
  }

  /**
   * Activates the batch's agents from index {@code from} on, one at a time in CPU order. When one
   * suspends, the rest wait for it (see {@link #runUntilPause()}); when all are done, their commit
   * points are scheduled in CPU order.
   */
  private void runBatch(int from) {
    for (int i = from; i < batchSize; i++) {
      SimCpu c = cpus[batch[i]];
      if (c.agent != SimCpu.RUNNING) continue;
      host.activate(c.id, ports[c.id]);
      if (c.agent == SimCpu.SUSPENDED) {
        batchNext = i + 1;
        return;
      }
      if (c.agent == SimCpu.RUNNING) held[heldCount++] = c.id;
    }
    batchNext = batchSize;
    for (int i = 0; i < heldCount; i++) {
      SimCpu c = cpus[held[i]];
      if (c.agent == SimCpu.RUNNING) events.add(now + agentCost(c), EV_COMMIT_POINT, c, c.activationEpoch);
    }
    heldCount = 0;
  }

  /** Resumes the suspended agent and then the rest of its instant's batch. */
  private void resumeBatch() {
    for (SimCpu c : cpus) {
      if (c.agent != SimCpu.SUSPENDED) continue;
      suspended--;
      c.agent = SimCpu.RUNNING;
      host.activate(c.id, ports[c.id]);
      if (c.agent == SimCpu.SUSPENDED) return;
      if (c.agent == SimCpu.RUNNING) held[heldCount++] = c.id;
    }
    runBatch(batchNext);
  }

  private long agentCost(SimCpu c) {
    long cost = c.spent + (c.wasBlocked ? costs.agentSwitchIn() : 0);
    cost += (long) c.drained * (c.wasBlocked ? costs.localMessage() : costs.globalMessage());
    int remote = 0;
    boolean local = false;
    for (int i = 0; i < c.commitCount; i++) {
      if (c.commitCpus[i] == c.id) local = true; else remote++;
    }
    if (local) cost += costs.localSchedule();
    return cost + costs.remote(remote);
  }

  /** The agent of c has finished its work: apply its txns (CPU order, its own CPU last). */
  private void commitPoint(SimCpu c, int epoch) {
    if (epoch != c.activationEpoch || c.agent != SimCpu.RUNNING) return;
    c.agentBusy += now - c.agentSince;
    Arrays.sort(c.commitCpus, 0, c.commitCount);
    boolean failed = false;
    boolean local = false;
    boolean localOk = false;
    for (int i = 0; i < c.commitCount; i++) {
      int target = c.commitCpus[i];
      if (target == c.id) { local = true; continue; }
      failed |= applyTxn(cpus[target], false, false) != TxnState.COMPLETE.code();
    }
    if (local) localOk = applyTxn(c, true, failed) == TxnState.COMPLETE.code();
    if (localOk) {
      blockAgent(c, 0);
    } else if (c.yieldRequested) {
      if (c.yieldBarrier != c.aseq) {
        trace.record(TR_YIELD, now, c.id, c.yieldBarrier, -1);
        activate(c); // ESTALE: the agent loops
      } else {
        trace.record(TR_YIELD, now, c.id, c.yieldBarrier, c.yieldRunFlags);
        blockAgent(c, c.yieldRunFlags);
      }
    } else if (local) {
      activate(c); // failed local commit: the agent loops
    } else {
      // A spinning (global) agent: it keeps the CPU and polls; look again after a commit or when
      // messages arrived while it was busy.
      c.agent = SimCpu.SPINNING;
      addSpinner(c);
      if (c.commitCount > 0 || c.pollDirty || hasMessages(c)) activate(c);
    }
  }

  private boolean hasMessages(SimCpu c) {
    return c.agentQueue >= 0 && !queues.get(c.agentQueue).messages.isEmpty();
  }

  private void addSpinner(SimCpu c) {
    for (int i = 0; i < spinnerCount; i++) if (spinners[i] == c.id) return;
    spinners[spinnerCount++] = c.id;
  }

  private void blockAgent(SimCpu c, int yieldFlags) {
    c.agent = SimCpu.BLOCKED;
    c.yieldFlags = yieldFlags;
    resched(c);
  }

  /** Validates and applies the txn of CPU d (kernel side of COMMIT_TXN). Returns the state. */
  private int applyTxn(SimCpu d, boolean local, boolean poisoned) {
    if (d.txnState != TxnState.READY.code()) return d.txnState;
    SimTask t = d.txnGtid > 0 ? tasks.get(d.txnGtid) : null;
    int st = poisoned ? TxnState.POISONED.code() : TxnCheck.validate(d, t, local, enclaveAlive);
    if (invariants != null) invariants.committed(d, t, local, st);
    d.txnState = st;
    metrics.txn(st);
    trace.record(TR_TXN, now, d.id, d.txnGtid, st);
    if (st != TxnState.COMPLETE.code()) {
      if ((d.txnCommitFlags & CommitFlags.INC_AGENT_BARRIER_ON_FAILURE) != 0) d.aseq++;
      return st;
    }
    if ((d.txnCommitFlags & CommitFlags.ELIDE_AGENT_BARRIER_INC) == 0) d.aseq++;
    d.cpuSeqnum++;
    if (t != null) {
      t.lastRunFlags = d.txnRunFlags;
      if (t.state != SimTask.ONCPU) {
        // Unlatch t wherever it is latched, silently (the kernel's ghost_move_task leaves it cached
        // on no CPU and sends no TASK_PREEMPT). t.cpu is where it last ran, not where it is
        // latched: checking only cpus[t.cpu] left a stale latch on a CPU it never ran on (the task
        // later started there too) and re-latching on the same CPU preempted t itself.
        if (t.latched) {
          for (SimCpu x : cpus) if (x.latched == t) x.latched = null;
          t.latched = false;
        }
        if (d.latched != null) preemptLatched(d);
        t.latched = true;
        d.latched = t;
      }
    } else if (d.txnGtid == Gtid.NULL && d.current != null && d.current.ghost) {
      preemptGhost(d, d.current, (d.txnRunFlags & RunFlags.ELIDE_PREEMPT) != 0); // unschedule
    }
    if (!local) resched(d); // the IPI: the target CPU picks the latched task now
    return st;
  }

  void timerAt(SimCpu c, long atNs, long cookie) {
    events.add(atNs, EV_TIMER, new Object[] {c, cookie}, 0);
  }

  private void timerExpired(SimCpu c, long cookie) {
    if (!enclaveAlive) return;
    produceCpu(c, MessageType.CPU_TIMER_EXPIRED, new CpuTimerExpired(c.id, 0, cookie));
  }

  private void tick(SimCpu c) {
    if (!enclaveAlive) return;
    boolean agentOn = c.agentActive();
    if (agentOn || (c.current != null && c.current.ghost)) {
      produceCpu(c, MessageType.CPU_TICK, new CpuTick(c.id, agentOn));
    }
    events.add(now + cfg.tickPeriodNs(), EV_TICK, c, 0);
  }

  // ------------------------------------------------------------------------------------------------
  // Faults: agent death, re-attach, enclave destruction

  /** The agent of {@code cpu} dies (crash, SIGKILL): ghost-model.md section 2.10. */
  public void killAgent(int cpu) {
    SimCpu c = cpus[cpu];
    if (c.agent == SimCpu.NO_AGENT) return;
    if (c.agent == SimCpu.SUSPENDED) suspended--;
    if (c.agent == SimCpu.RUNNING || c.agent == SimCpu.SPINNING || c.agent == SimCpu.SUSPENDED) {
      c.agentBusy += now - c.agentSince;
    }
    if (c.latched != null) preemptLatched(c);
    // Requests the dead agent had not yet committed die with it.
    for (int i = 0; i < c.commitCount; i++) {
      SimCpu d = cpus[c.commitCpus[i]];
      if (d.txnState == TxnState.READY.code()) killTxn(d);
    }
    c.commitCount = 0;
    if (c.txnState == TxnState.READY.code()) killTxn(c);
    c.agent = SimCpu.NO_AGENT;
    c.agentQueue = -1;
    c.aseq = 0;
    c.yieldFlags = 0;
    c.activationEpoch++;
    trace.record(TR_ACTIVATE, now, c.id, -1, -1);
    resched(c);
  }

  private void killTxn(SimCpu d) {
    d.txnState = TxnState.NO_AGENT.code();
    metrics.txn(d.txnState);
    trace.record(TR_TXN, now, d.id, d.txnGtid, d.txnState);
  }

  /** A new agent process attaches to the running enclave (rebootless upgrade). */
  public void attachAgents(AgentHost newHost) {
    this.host = newHost;
    newHost.attach(setupPort);
  }

  /** Destroys the enclave: every agent dies and every task falls back to CFS with TASK_DEPARTED. */
  public void destroyEnclave() {
    for (SimCpu c : cpus) killAgent(c.id);
    enclaveAlive = false;
    List<SimTask> ghosts = new ArrayList<>();
    for (SimTask t : tasks.values()) if (t.ghost && t.state != SimTask.DEAD) ghosts.add(t);
    ghosts.sort((a, b) -> Long.compare(a.gtid, b.gtid));
    for (SimTask t : ghosts) {
      boolean current = t.state == SimTask.ONCPU;
      SimCpu c = t.cpu >= 0 ? cpus[t.cpu] : null;
      if (t.latched && c != null && c.latched == t) { c.latched = null; t.latched = false; }
      depart(current ? c : null, t, current);
      if (t.state == SimTask.RUNNABLE) cfsEnqueue(cfsHome(t), t);
    }
    for (int id : enclaveCpus) resched(cpus[id]);
    if (invariants != null) invariants.afterDestroy();
  }

  boolean isAlive() { return enclaveAlive; }

  // ------------------------------------------------------------------------------------------------
  // Port support (package-private, used by MachinePort)

  SimQueue queue(int id) {
    if (id < 0 || id >= queues.size()) throw new IllegalArgumentException("queue: no queue with id " + id);
    return queues.get(id);
  }

  void becomeAgent(int cpu, int queue) {
    SimCpu c = cpus[cpu];
    queue(queue);
    if (c.agent != SimCpu.NO_AGENT) {
      throw new IllegalStateException("become agent " + cpu + ": EBUSY, CPU " + cpu + " already has an agent");
    }
    if (c.txnState == TxnState.READY.code()) killTxn(c);
    c.agentQueue = queue;
    c.agent = SimCpu.BLOCKED;
    activate(c);
  }

  void discover() {
    List<SimTask> ghosts = new ArrayList<>();
    for (SimTask t : tasks.values()) if (t.ghost && t.state != SimTask.DEAD) ghosts.add(t);
    ghosts.sort((a, b) -> Long.compare(a.gtid, b.gtid));
    for (SimTask t : ghosts) {
      boolean runnable = t.state != SimTask.BLOCKED;
      produceTask(t, MessageType.TASK_NEW,
          new TaskNew(t.gtid, t.parentGtid, t.runtime, runnable, t.nice(), swInfo(t), t.template.hint()));
    }
  }

  void freeWord(long gtid) {
    SimTask t = tasks.get(gtid);
    if (t == null) throw new IllegalArgumentException("sw free: EINVAL, no status word for gtid " + gtid);
    if (t.state == SimTask.DEAD) {
      tasks.remove(gtid);
    } else if (t.msgGated) {
      t.msgGated = false;
      tasks.remove(gtid); // the CFS thread lives on outside ghOSt, under no gtid
    } else {
      throw new IllegalStateException("sw free: EINVAL, status word of " + gtid + " is not CANFREE");
    }
  }

  long inSystemArea() { return inSystemArea; }

  long inSystem() { return inSystem; }

  long departedAlive() { return departedAlive; }

  /** A 64-bit mix of the seed and a stream's coordinates (SplitMix64 finalizer). */
  static long mix(long seed, long a, long b) {
    long z = seed + 0x9E3779B97F4A7C15L * (a + 1) + 0xBF58476D1CE4E5B9L * (b + 2);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
