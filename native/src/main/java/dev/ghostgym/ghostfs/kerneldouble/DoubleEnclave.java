package dev.ghostgym.ghostfs.kerneldouble;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TaskBlocked;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskWakeup;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.ghostfs.LibC;
import dev.ghostgym.ghostfs.StatusWord;
import dev.ghostgym.ghostfs.StatusWordWriter;
import dev.ghostgym.ghostfs.TxnKernel;
import dev.ghostgym.ghostfs.TxnSlots;
import dev.ghostgym.ghostfs.kerneldouble.KernelDouble.Open;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One enclave of the {@link KernelDouble}: its state (CPUs, queues, agents, tasks, status words,
 * txns, timers), its life (creation, an agent thread's death, destroy) and the task events a test
 * drives from the kernel's side. Every method that touches the state holds this object's monitor;
 * an agent blocked in RUN waits on it. The parts: the ghostfs files and ctl commands are in {@link
 * DoubleGhostfs}, the ioctls in {@link DoubleIoctls}, how messages are sent in {@link
 * DoubleMessages}.
 */
public final class DoubleEnclave {
  /** The enclave's tunable files (ghostfs.c). */
  private static final String[] TUNABLES = {
    "runnable_timeout",
    "commit_at_tick",
    "deliver_ticks",
    "deliver_agent_runnability",
    "deliver_cpu_availability",
    "wake_on_waker_cpu",
    "switchto_disabled",
    "live_dangerously"
  };

  final KernelDouble kernel;
  private final int id;
  final AbiVersion abi;
  final Path dir;
  final TreeSet<Integer> cpus = new TreeSet<>();
  final Memory cpuData;
  final TxnSlots txns;
  final TxnKernel txnKernel;
  Memory swMemory;
  StatusWordWriter words;
  private int nextWord;
  final Map<Integer, DoubleQueue> queues = new HashMap<>();
  DoubleQueue defaultQueue;
  final DoubleAgent[] agents;
  final Map<Long, DoubleTask> tasks = new LinkedHashMap<>();
  final Map<Integer, DoubleTimer> timers = new HashMap<>();
  final Map<String, Long> tunables = new HashMap<>();
  boolean online;
  private boolean destroyed;
  long cpuSeqnum;
  final long[] running;

  /** A CFS task is runnable on the CPU (see {@link DoubleCfs}). */
  final boolean[] cfs;

  private int mapError;

  /** Messages dropped because no queue could take them (no default queue, full ring). */
  long dropped;

  DoubleEnclave(KernelDouble kernel, int id, int abi, Path dir) {
    this.kernel = kernel;
    this.id = id;
    this.abi = AbiVersion.of(abi);
    this.dir = dir;
    int n = kernel.possibleCpus();
    this.agents = new DoubleAgent[n];
    this.running = new long[n];
    this.cfs = new boolean[n];
    this.cpuData = zeroed((long) n * AbiConstants.CPU_DATA_STRIDE);
    this.txns = TxnSlots.format(cpuData.getByteBuffer(0, cpuData.size()));
    this.txnKernel = new TxnKernel(txns);
    for (String t : TUNABLES) tunables.put(t, 0L);
    try {
      Files.createDirectories(dir.resolve("sw_regions"));
      for (String f :
          new String[] {"ctl", "abi_version", "cpulist", "agent_online", "tasks", "status"}) {
        Files.writeString(dir.resolve(f), "");
      }
      for (String t : TUNABLES) Files.writeString(dir.resolve(t), "");
      sized(dir.resolve("cpu_data"), cpuData.size());
    } catch (IOException e) {
      throw new IllegalStateException(
          "kernel double: cannot make " + dir + ": " + e.getMessage(), e);
    }
  }

  public int id() {
    return id;
  }

  public synchronized boolean destroyed() {
    return destroyed;
  }

  public synchronized boolean online() {
    return online;
  }

  synchronized boolean hasCpu(int cpu) {
    return cpus.contains(cpu);
  }

  /**
   * The agent of {@code cpu}'s status-word barrier (the kernel's agent barrier), or -1 without one.
   */
  public synchronized int agentBarrier(int cpu) {
    DoubleAgent a = agents[cpu];
    return a == null ? -1 : words.region().barrier(a.word);
  }

  /** True if {@code cpu} has an agent. */
  public synchronized boolean hasAgent(int cpu) {
    return agents[cpu] != null;
  }

  /** The task the last successful commit put on {@code cpu} (0: none, or the CPU went idle). */
  public synchronized long runningOn(int cpu) {
    return running[cpu];
  }

  /** Messages the double could not deliver (no default queue, or the ring was full). */
  public synchronized long dropped() {
    return dropped;
  }

  /** The flags of {@code cpu}'s agent status word ({@code CPU_AVAIL}, {@code BOOST_PRIO}), or 0. */
  public synchronized int agentFlags(int cpu) {
    DoubleAgent a = agents[cpu];
    return a == null ? 0 : words.region().flags(a.word);
  }

  /** True while {@code cpu}'s agent is blocked in a RUN yield. */
  public synchronized boolean agentBlocked(int cpu) {
    DoubleAgent a = agents[cpu];
    return a != null && a.inRun;
  }

  /** Timers armed now, by timerfd. */
  public synchronized Map<Integer, DoubleTimer> armedTimers() {
    return Map.copyOf(timers);
  }

  // --- the system calls KernelDouble routes here ------------------------------------------------

  synchronized int open(String name, int flags) {
    return DoubleGhostfs.open(this, name, flags);
  }

  synchronized void closed(Open o) {
    DoubleGhostfs.closed(this, o);
  }

  synchronized String read(Open o) {
    return DoubleGhostfs.read(this, o);
  }

  synchronized int write(Open o, String text) {
    if (destroyed) return -KernelDouble.ENODEV;
    return DoubleGhostfs.write(this, o, text);
  }

  synchronized int ioctl(long request, Pointer arg) {
    if (destroyed) return -KernelDouble.ENODEV;
    DoubleMessages.fireDue(this, System.nanoTime());
    return DoubleIoctls.handle(this, request, arg);
  }

  synchronized Memory map(Open o, long length, int prot, int flags, long offset) {
    boolean writable = (prot & LibC.PROT_WRITE) != 0;
    if ((flags & LibC.MAP_SHARED) == 0 || offset != 0) return mapFailed(AbiConstants.EINVAL);
    return switch (o.kind) {
      case CPU_DATA ->
          length == cpuData.size() && (o.flags & 3) == LibC.O_RDWR
              ? cpuData
              : mapFailed(AbiConstants.EINVAL);
      // The status words are the kernel's to write: ghostfs.c refuses a writable mapping.
      case SW_REGION ->
          writable
              ? mapFailed(KernelDouble.EPERM)
              : length == swMemory.size() ? swMemory : mapFailed(AbiConstants.EINVAL);
      case QUEUE -> {
        DoubleQueue q = (DoubleQueue) o.target;
        yield length == q.memory.size() && writable ? q.memory : mapFailed(AbiConstants.EINVAL);
      }
      default -> mapFailed(KernelDouble.ENODEV);
    };
  }

  private Memory mapFailed(int errno) {
    mapError = errno;
    return null;
  }

  synchronized int lastMapError() {
    return mapError;
  }

  /** The CPU whose agent is the calling thread, or -1. */
  int callerCpu() {
    Thread me = Thread.currentThread();
    for (int c = 0; c < agents.length; c++) {
      if (agents[c] != null && agents[c].thread == me) return c;
    }
    return -1;
  }

  // --- the enclave's life -----------------------------------------------------------------------

  /** The ctl command {@code destroy}: agents and tasks leave, the directory goes. */
  void destroy() {
    destroyed = true;
    for (int c = 0; c < agents.length; c++) agents[c] = null;
    tasks.clear();
    notifyAll();
    kernel.removed(this);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  synchronized void release() {
    notifyAll();
  }

  /**
   * An agent thread that has ended has left its CPU: the kernel clears the CPU's agent, fails its
   * pending txn with NO_AGENT and marks the agent's status word CANFREE (ghost.c {@code
   * release_from_ghost}, its agent branch; docs/KERNEL-MODEL.md 2.10).
   */
  synchronized void reapAgents() {
    if (destroyed || words == null) return;
    for (int c = 0; c < agents.length; c++) {
      DoubleAgent a = agents[c];
      if (a == null || a.thread.isAlive()) continue;
      agents[c] = null;
      if (txnKernel.claim(c, c))
        txnKernel.complete(c, TxnState.NO_AGENT, System.nanoTime(), ++cpuSeqnum);
      words.setFlags(
          a.word, (words.region().flags(a.word) | StatusFlags.F_CANFREE) & ~StatusFlags.TASK_ONCPU);
    }
  }

  // --- tasks (the test drives these) ------------------------------------------------------------

  /** A new task enters the enclave: a status word and TASK_NEW into the default queue. */
  public synchronized long spawn(long gtid, boolean runnable) {
    if (tasks.containsKey(gtid))
      throw new IllegalArgumentException("kernel double: task " + gtid + " exists");
    int flags =
        StatusFlags.F_INUSE | StatusFlags.F_ALLOCATED | (runnable ? StatusFlags.TASK_RUNNABLE : 0);
    DoubleTask t =
        new DoubleTask(gtid, allocWord(new StatusWord(0, flags, gtid, 0, 0)), defaultQueue);
    tasks.put(gtid, t);
    DoubleMessages.taskNew(this, t);
    return gtid;
  }

  /** A blocked task wakes up: TASK_WAKEUP. */
  public synchronized void wake(long gtid) {
    DoubleTask t = task(gtid);
    words.setFlags(t.word, words.region().flags(t.word) | StatusFlags.TASK_RUNNABLE);
    DoubleMessages.taskMessage(
        this, t, MessageType.TASK_WAKEUP, seq -> new TaskWakeup(gtid, 0, false, -1, -1, -1));
  }

  /** The task running on a CPU blocks: TASK_BLOCKED, and its CPU is free. */
  public synchronized void block(long gtid) {
    DoubleTask t = task(gtid);
    int cpu = Math.max(t.cpu, 0);
    offCpu(t);
    words.setFlags(t.word, words.region().flags(t.word) & ~StatusFlags.TASK_RUNNABLE);
    DoubleMessages.taskMessage(
        this,
        t,
        MessageType.TASK_BLOCKED,
        seq -> new TaskBlocked(gtid, t.runtime, cpuSeqnum, cpu, false));
  }

  /**
   * The task has used {@code ns} more CPU time: what GHOST_IOC_GET_CPU_TIME answers from now on
   * ({@code task_sched_runtime}) and the runtime its next TASK_BLOCKED or TASK_PREEMPT carries. The
   * double keeps no clock of its own, so the test says how long a task ran.
   */
  public synchronized void charge(long gtid, long ns) {
    task(gtid).runtime += ns;
  }

  /**
   * The task exits: TASK_DEAD, and its word becomes CANFREE (ghost.c {@code _task_dead_ghost},
   * {@code task_deliver_msg_dead}). A task running when it exits first gets TASK_BLOCKED: its last
   * schedule dequeues it as a sleep ({@code _dequeue_task_ghost}, {@code ghost_produce_prev_msgs};
   * docs/KERNEL-MODEL.md 2.2).
   */
  public synchronized void exit(long gtid) {
    DoubleTask t = task(gtid);
    if (t.cpu >= 0) block(gtid);
    int cpu = Math.max(t.lastCpu, 0);
    offCpu(t);
    DoubleMessages.taskMessage(this, t, MessageType.TASK_DEAD, seq -> new TaskDead(gtid, cpu));
    words.setFlags(
        t.word,
        (words.region().flags(t.word) | StatusFlags.F_CANFREE)
            & ~(StatusFlags.TASK_RUNNABLE | StatusFlags.TASK_ONCPU));
    tasks.remove(gtid);
  }

  /**
   * A CFS task becomes runnable on {@code cpu}: the ghOSt task there is preempted, the agent is
   * boosted if it is on the CPU, else CFS takes the CPU (see {@link DoubleCfs}).
   */
  public synchronized void cfsRunnable(int cpu) {
    DoubleCfs.runnable(this, cpu);
  }

  /** The CFS tasks of {@code cpu} have left: {@code CPU_AVAIL} again, no more boost. */
  public synchronized void cfsDone(int cpu) {
    DoubleCfs.done(this, cpu);
  }

  boolean deliversCpuAvailability() {
    return tunables.get("deliver_cpu_availability") != 0;
  }

  void offCpu(DoubleTask t) {
    if (t.cpu >= 0 && running[t.cpu] == t.gtid) running[t.cpu] = 0;
    t.cpu = -1;
    words.setFlags(t.word, words.region().flags(t.word) & ~StatusFlags.TASK_ONCPU);
  }

  DoubleTask task(long gtid) {
    DoubleTask t = tasks.get(gtid);
    if (t == null) throw new IllegalArgumentException("kernel double: no task " + gtid);
    return t;
  }

  boolean runnable(DoubleTask t) {
    return (words.region().flags(t.word) & StatusFlags.TASK_RUNNABLE) != 0;
  }

  int allocWord(StatusWord w) {
    int i = nextWord++;
    words.write(i, w);
    words.setAvailable(words.region().capacity() - nextWord);
    return i;
  }

  static Memory zeroed(long size) {
    Memory m = new Memory(size);
    m.clear();
    return m;
  }

  static void sized(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }
}
