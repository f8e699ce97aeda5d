package dev.ghostgym.sim;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.config.Workload;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelFaults;
import dev.ghostgym.port.LongMap;
import dev.ghostgym.port.Oracle;
import dev.ghostgym.sim.metrics.RunMetrics;
import dev.ghostgym.sim.metrics.TaskRecord;
import dev.ghostgym.sim.metrics.TraceHash;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A simulated machine whose CPUs are scheduled by ghOSt: the kernel side of docs/KERNEL-MODEL.md
 * section 2 (classes, messages, barriers, queues, txns, agent death, enclave destruction) driven by
 * a workload, with the agents behind an {@link AgentHost}. Single-threaded and deterministic:
 * events of one instant fire in the order they were scheduled, agents activated at one instant run
 * in CPU order, and their txns are applied in CPU order.
 */
public final class Machine implements KernelFaults {
  static final int EV_ARRIVAL = 0,
      EV_BURST_END = 1,
      EV_WAKE = 2,
      EV_COMMIT_POINT = 3,
      EV_TICK = 4,
      EV_CFS_SLICE = 5,
      EV_CALL = 6,
      EV_TIMER = 7,
      EV_CFS_BALANCE = 8;
  // Trace record kinds.
  static final int TR_MSG = 1,
      TR_SUPPRESSED = 2,
      TR_TXN = 3,
      TR_RUN = 4,
      TR_STOP = 5,
      TR_ACTIVATE = 6,
      TR_YIELD = 7,
      TR_ARRIVE = 8,
      TR_EXIT = 9;
  private static final AbiVersion ABI = AbiVersion.V91;
  private static final int[] SLOTS = new int[256];

  static {
    for (MessageType t : MessageType.values()) SLOTS[t.number()] = t.slots(ABI);
  }

  /** 8-byte ring slots a message of this type takes (ABI 91), from a table: asked per message. */
  static int slots(MessageType t) {
    return SLOTS[t.number()];
  }

  final SimConfig cfg;
  final Overheads costs;
  final Workload workload;
  AgentHost host;
  final SimCpu[] cpus;
  final int[] enclaveCpus;
  final List<SimQueue> queues = new ArrayList<>();
  SimQueue defaultQueue;
  final LongMap<SimTask> tasks = new LongMap<>();
  final EventQueue events = new EventQueue();

  /** Live tasks beyond which a run is stopped as unstable (see {@link #unstable()}). */
  private final long maxLiveTasks = Long.getLong("ghostgym.maxLiveTasks", 1_000_000L);

  private String stopReason;
  final RunMetrics metrics = new RunMetrics();
  final TraceHash trace = new TraceHash();
  SimObserver observer; // null unless a timeline is recorded: one check per event
  final Invariants invariants;
  final MachinePort[] ports;
  final MachinePort setupPort;
  long now;
  long agentSpentNs; // total charged through MachinePort.spend (decision costs)
  boolean enclaveAlive = true;
  boolean deliverCpuAvailability; // the enclave tunable deliver_cpu_availability (off, as in ghOSt)
  final Oracle oracle =
      new Oracle() {
        @Override
        public long remainingNs(long gtid) {
          SimTask t = tasks.get(gtid);
          if (t == null) return -1;
          return t.state == TaskState.ON_CPU
              ? Math.max(0, t.remaining - Math.max(0, now - t.runStart))
              : t.remaining;
        }

        @Override
        public long burstNs(long gtid) {
          SimTask t = tasks.get(gtid);
          return t == null ? -1 : t.burst;
        }

        @Override
        public long deadlineNs(long gtid) {
          SimTask t = tasks.get(gtid);
          return t == null ? Long.MAX_VALUE : t.deadlineAbs;
        }
      };

  private boolean started;
  private SimResult result;
  private int sameInstant;
  private long lastInstant = -1;
  Consumer<Message> deliveredTap;

  // The kernel model's parts, one concern each; they share this machine's state above.
  final Accounting accounting = new Accounting(this);
  final Messaging messaging = new Messaging(this);
  final CpuDispatch dispatch = new CpuDispatch(this);
  final ClassSwitch classSwitch = new ClassSwitch(this);
  final FairClass fair;
  final Programs programs = new Programs(this);
  final TaskAttributes attributes = new TaskAttributes(this);
  final TxnCommit txns = new TxnCommit(this);
  final SimPrioTable prioTable;
  final Faults faults = new Faults(this);
  final Activations agents;
  final Arrivals arrivals;

  public Machine(SimConfig cfg, Workload workload, AgentHost host) {
    this.cfg = cfg;
    this.costs = cfg.overheads();
    this.workload = workload;
    this.host = host;
    this.fair = new FairClass(this);
    this.prioTable =
        new SimPrioTable(this, workload, costs.prioTableWrite(), costs.prioTableRead());
    // An ideal global agent gets a CPU of its own that runs no task (id = cfg.cpus()).
    int n = cfg.cpus() + (costs.agentOccupiesCpu() ? 0 : 1);
    this.cpus = new SimCpu[n];
    for (int i = 0; i < n; i++) cpus[i] = new SimCpu(i, i < cfg.cpus());
    this.enclaveCpus = new int[cfg.cpus()];
    for (int i = 0; i < cfg.cpus(); i++) enclaveCpus[i] = i;
    this.agents = new Activations(this, n);
    this.ports = new MachinePort[n];
    for (int i = 0; i < n; i++) ports[i] = new MachinePort(this, i);
    this.setupPort = new MachinePort(this, -1);
    this.invariants = cfg.checkInvariants() ? new Invariants(this) : null;
    this.arrivals = new Arrivals(this, workload.sources(), cfg.seed());
  }

  /** Number of CPUs including an ideal global agent's extra CPU. */
  public int cpuCount() {
    return cpus.length;
  }

  public long now() {
    return now;
  }

  public RunMetrics metrics() {
    return metrics;
  }

  public Workload workload() {
    return workload;
  }

  /** Receives a record of every task when it exits or departs from ghOSt (null: none). */
  public void taskLog(Consumer<TaskRecord> log) {
    accounting.taskLog(log);
  }

  /**
   * Reports every switch, wakeup, agent activation and commit to {@code o} (timelines); null: none.
   */
  public void observe(SimObserver o) {
    this.observer = o;
  }

  /** CPU time a live task has received so far (ns), including a burst in progress; -1 if gone. */
  public long taskRuntime(long gtid) {
    SimTask t = tasks.get(gtid);
    if (t == null) return -1;
    return t.state == TaskState.ON_CPU ? t.runtime + Math.max(0, now - t.runStart) : t.runtime;
  }

  /** What the machine knows of a live task, or null when it is gone. */
  public TaskStat taskStat(long gtid) {
    SimTask t = tasks.get(gtid);
    if (t == null) return null;
    return new TaskStat(t.state, t.cpu, taskRuntime(gtid), t.preemptions, t.ghost);
  }

  /** Sees every message an agent takes from a queue, as it is taken (null: none). */
  public void deliveredTap(Consumer<Message> tap) {
    this.deliveredTap = tap;
  }

  /** Total time enclave tasks have spent runnable but not running, up to now (ns). */
  public long waitingTimeNs() {
    return accounting.waitingTimeNs();
  }

  /**
   * Agent work charged through {@code KernelPort.spend} so far (policy decision time), summed over
   * CPUs: the part of the agents' CPU time that the policies' decision costs account for.
   */
  public long agentSpentNs() {
    return agentSpentNs;
  }

  /** Enclave tasks runnable but not running now. */
  public long waitingTasks() {
    return accounting.waitingTasks();
  }

  /** CPU {@code id} (0 .. {@link #cpuCount()} - 1), read-only, for tests and tools. */
  public CpuView cpuView(int id) {
    return cpus[id];
  }

  /** The task {@code gtid} while the machine knows it, read-only; null when it is gone. */
  public TaskView taskView(long gtid) {
    return tasks.get(gtid);
  }

  /** The messages now waiting in queue {@code id}, oldest first (a copy). */
  public List<Message> queuedMessages(int id) {
    return List.copyOf(queue(id).messages);
  }

  /** The gtids of the live tasks, ascending. */
  public List<Long> liveTasks() {
    return tasks.keySet();
  }

  /** Runs {@code action} at simulated time {@code atNs} (fault injection, upgrades, tests). */
  public void at(long atNs, Runnable action) {
    events.add(atNs, EV_CALL, action, 0);
  }

  /**
   * The application sets or clears SCHED_ITEM_RUNNABLE in {@code gtid}'s PrioTable item now, as its
   * threads do (MarkRunnable, MarkIdle); for tests and tools (no-op without a table).
   */
  public void markRunnable(long gtid, boolean runnable) {
    prioTable.writeRunnable(gtid, runnable);
  }

  // ------------------------------------------------------------------------------------------------
  // The event loop

  /**
   * Runs the simulation to its end and returns the result. Every decision must be answered
   * synchronously; a run whose agents defer decisions is driven with {@link #runUntilPause()}.
   */
  public SimResult run() {
    if (runUntilPause()) {
      throw new IllegalStateException(
          "an agent deferred a decision: drive this machine with runUntilPause()/resume");
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
    if (agents.suspended > 0) {
      agents.resumeBatch();
      if (agents.suspended > 0) return true;
    }
    while (stopReason == null) {
      while (!events.isEmpty() && events.peekTime() == now && stopReason == null) fire();
      if (tasks.size() > maxLiveTasks) unstable();
      if (agents.activationCount > 0) {
        if (now == lastInstant && ++sameInstant > 1_000_000) {
          throw new IllegalStateException(
              "agent livelock: more than 1,000,000 activations at t=" + now + " ns");
        }
        if (now != lastInstant) {
          lastInstant = now;
          sameInstant = 0;
        }
        agents.runActivations();
        if (agents.suspended > 0) return true;
        continue;
      }
      if (finished() || events.isEmpty()) break;
      long t = events.peekTime();
      if (t < now) { // now + delay passed 2^63 ns: the event would fire "before" the present
        stopReason =
            String.format(
                java.util.Locale.ROOT,
                "simulated clock overflow after t=%.3f s: an event "
                    + "was scheduled more than 2^63 ns (292 years) ahead; an arrival rate or a duration is too extreme "
                    + "(e.g. --set load=1e-13); raise it, or give --duration",
                now / 1e9);
        break;
      }
      if (cfg.durationNs() > 0 && t > cfg.durationNs()) {
        now = cfg.durationNs();
        break;
      }
      now = t;
    }
    accounting.accountInSystem();
    if (invariants != null && stopReason == null) invariants.atEnd();
    result = SimResult.of(this);
    return false;
  }

  /**
   * Why the run was stopped before its end (queue overflow, unbounded growth, clock), else null.
   */
  public String stopReason() {
    return stopReason;
  }

  /**
   * A full message queue. ghOSt's kernel drops the message and counts it in the ring's {@code
   * overflow} word ({@code _produce} in kernel/sched/ghost.c returns -EOVERFLOW), and the agent
   * library treats a non-zero overflow as fatal (the agent process CHECK-fails), so the agents exit
   * and the enclave is destroyed, its tasks going back to CFS. The model does not continue past
   * that point: {@link Messaging} drops the message as the kernel does and the run stops here, with
   * what happened as the result.
   */
  void overflowed(SimQueue q, MessageType dropped) {
    if (stopReason != null) return;
    stopReason =
        String.format(
            java.util.Locale.ROOT,
            "message queue %d overflowed at simulated t=%.6f s "
                + "(%d of %d slots used, %s dropped, %d tasks in the system): ghOSt's kernel drops the message and "
                + "counts it in the ring's overflow word, the agent treats that as fatal and the enclave is destroyed "
                + "(its tasks go back to CFS); the agents cannot keep up with this load on this many CPUs",
            q.id,
            now / 1e9,
            q.usedSlots,
            q.capacitySlots,
            dropped,
            tasks.size());
  }

  /**
   * Live tasks beyond {@link #maxLiveTasks}: arrivals outpace service and the queues grow without
   * bound, so the run would end only when memory does. Stopped with the numbers that show it.
   */
  private void unstable() {
    stopReason =
        String.format(
            java.util.Locale.ROOT,
            "unstable: %,d tasks in the system at simulated t=%.6f s "
                + "(%,d arrived, %,d completed): arrivals outpace service and the queues grow without bound; lower the load "
                + "or add CPUs (limit: -Dghostgym.maxLiveTasks=%d)",
            tasks.size(),
            now / 1e9,
            metrics.arrived(),
            metrics.completed(),
            maxLiveTasks);
  }

  /** The result once {@link #runUntilPause()} returned false, else null. */
  public SimResult result() {
    return result;
  }

  /** Agents suspended now, waiting for an outside decision. */
  public int suspendedAgents() {
    return agents.suspended;
  }

  private void start() {
    started = true;
    host.attach(setupPort);
    for (Arrivals.SourceState s : arrivals.sources) arrivals.startSource(s);
    if (cfg.deliverTicks()) {
      for (int c : enclaveCpus) events.add(cfg.tickPeriodNs(), EV_TICK, cpus[c], 0);
    }
  }

  private boolean finished() {
    if (accounting.pendingFinite > 0 || !arrivals.arrivalsDone()) return false;
    return cfg.durationNs() == 0 || accounting.liveInfinite == 0;
  }

  private void fire() {
    int kind = events.peekKind();
    Object ref = events.peekRef();
    long arg = events.peekArg();
    events.poll();
    switch (kind) {
      case EV_ARRIVAL -> arrivals.arrive((Arrivals.SourceState) ref);
      case EV_BURST_END -> programs.burstEnd((SimTask) ref, (int) arg);
      case EV_WAKE -> programs.wake((SimTask) ref);
      case EV_COMMIT_POINT -> txns.commitPoint((SimCpu) ref, (int) arg);
      case EV_TICK -> messaging.tick((SimCpu) ref);
      case EV_CFS_SLICE -> fair.sliceEnd((SimCpu) ref, (int) arg);
      case EV_CFS_BALANCE -> fair.balance();
      case EV_CALL -> ((Runnable) ref).run();
      case EV_TIMER ->
          messaging.timerExpired((SimCpu) ((Object[]) ref)[0], (Long) ((Object[]) ref)[1]);
      default -> throw new IllegalStateException("unknown event kind " + kind);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Faults: agent death, re-attach, enclave destruction (see Faults, ClassSwitch)

  /** The agent of {@code cpu} dies (crash, SIGKILL): docs/KERNEL-MODEL.md section 2.10. */
  @Override
  public void killAgent(int cpu) {
    faults.killAgent(cpu);
  }

  /** Destroys the enclave: every agent dies and every task falls back to CFS with TASK_DEPARTED. */
  @Override
  public void destroyEnclave() {
    classSwitch.destroyEnclave();
  }

  /** A new agent process attaches to the running enclave (rebootless upgrade). */
  public void attachAgents(AgentHost newHost) {
    this.host = newHost;
    newHost.attach(setupPort);
  }

  boolean isAlive() {
    return enclaveAlive;
  }

  // ------------------------------------------------------------------------------------------------
  // Port support

  // Called by MachinePort, Invariants and SimResult.

  SimQueue queue(int id) {
    if (id < 0 || id >= queues.size())
      throw new IllegalArgumentException("queue: no queue with id " + id);
    return queues.get(id);
  }

  /** A 64-bit mix of the seed and a stream's coordinates (SplitMix64 finalizer). */
  static long mix(long seed, long a, long b) {
    long z = seed + 0x9E3779B97F4A7C15L * (a + 1) + 0xBF58476D1CE4E5B9L * (b + 2);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
