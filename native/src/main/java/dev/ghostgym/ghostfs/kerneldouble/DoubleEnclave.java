package dev.ghostgym.ghostfs.kerneldouble;

import com.sun.jna.Memory;
import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.CpuTimerExpired;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskBlocked;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskWakeup;
import dev.ghostgym.ghostfs.LibC;
import dev.ghostgym.ghostfs.RingProducer;
import dev.ghostgym.ghostfs.StatusWord;
import dev.ghostgym.ghostfs.StatusWordWriter;
import dev.ghostgym.ghostfs.TxnKernel;
import dev.ghostgym.ghostfs.TxnSlots;
import dev.ghostgym.ghostfs.kerneldouble.KernelDouble.Kind;
import dev.ghostgym.ghostfs.kerneldouble.KernelDouble.Open;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One enclave of the {@link KernelDouble}: its ghostfs files and commands, its queues, agents,
 * tasks, status words, txns and timers. Every method that touches the state holds this object's
 * monitor; an agent blocked in RUN waits on it. The ioctls are in {@link DoubleIoctls}.
 */
public final class DoubleEnclave {
  /** A queue made by CREATE_QUEUE: its memory, the kernel's producer, the CPUs it wakes. */
  static final class DQueue {
    final int fd;
    final Memory memory;
    final RingProducer producer;
    int[] wake = new int[0];

    DQueue(int fd, Memory memory, AbiVersion abi) {
      this.fd = fd;
      this.memory = memory;
      this.producer = new RingProducer(memory.getByteBuffer(0, memory.size()), abi);
    }
  }

  /** A task in the enclave. */
  static final class DTask {
    final long gtid;
    final int word;
    DQueue queue;
    int cpu = -1;
    long runtime;

    DTask(long gtid, int word, DQueue queue) {
      this.gtid = gtid;
      this.word = word;
      this.queue = queue;
    }
  }

  /** The agent of one CPU. */
  static final class DAgent {
    final Thread thread;
    final DQueue queue;
    final int word;
    boolean wakePending;

    DAgent(Thread thread, DQueue queue, int word) {
      this.thread = thread;
      this.queue = queue;
      this.word = word;
    }
  }

  /** An armed ghost timerfd. */
  record DTimer(int cpu, long type, long cookie, long atNs) {}

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
  private final Path dir;
  private final TreeSet<Integer> cpus = new TreeSet<>();
  final Memory cpuData;
  final TxnSlots txns;
  final TxnKernel txnKernel;
  Memory swMemory;
  StatusWordWriter words;
  private int nextWord;
  final Map<Integer, DQueue> queues = new HashMap<>();
  DQueue defaultQueue;
  final DAgent[] agents;
  final Map<Long, DTask> tasks = new LinkedHashMap<>();
  final Map<Integer, DTimer> timers = new HashMap<>();
  private final Map<String, Long> tunables = new HashMap<>();
  private boolean online;
  private boolean destroyed;
  long cpuSeqnum;
  final long[] running;
  private int mapError;

  /** Messages dropped because no queue could take them (no default queue, full ring). */
  long dropped;

  DoubleEnclave(KernelDouble kernel, int id, int abi, Path dir) {
    this.kernel = kernel;
    this.id = id;
    this.abi = AbiVersion.of(abi);
    this.dir = dir;
    int n = kernel.possibleCpus();
    this.agents = new DAgent[n];
    this.running = new long[n];
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
    DAgent a = agents[cpu];
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

  // --- ghostfs files ----------------------------------------------------------------------------

  synchronized int open(String name, int flags) {
    int acc = flags & 3;
    Kind kind =
        switch (name) {
          case "ctl" -> Kind.CTL;
          case "abi_version" -> Kind.ABI_VERSION;
          case "cpulist" -> Kind.CPULIST;
          case "agent_online" -> Kind.AGENT_ONLINE;
          case "tasks" -> Kind.TASKS;
          case "status" -> Kind.STATUS;
          case "cpu_data" -> Kind.CPU_DATA;
          case "sw_regions/sw_0" -> words == null ? null : Kind.SW_REGION;
          default -> tunables.containsKey(name) ? Kind.TUNABLE : null;
        };
    if (kind == null) return kernel.fail(AbiConstants.ENOENT);
    if ((kind == Kind.ABI_VERSION || kind == Kind.STATUS || kind == Kind.SW_REGION)
        && acc != LibC.O_RDONLY) {
      return kernel.fail(AbiConstants.EACCES);
    }
    if (kind == Kind.AGENT_ONLINE && acc != LibC.O_RDONLY) {
      // ghostfs.c: only one writable open of agent_online; it is the "agent death edge".
      if (online) return kernel.fail(AbiConstants.EBUSY);
      online = true;
    }
    return kernel.newFd(new Open(kind, this, name, flags, null));
  }

  synchronized void closed(Open o) {
    if (o.kind == Kind.AGENT_ONLINE && (o.flags & 3) != LibC.O_RDONLY) online = false;
  }

  synchronized String read(Open o) {
    return switch (o.kind) {
      case CTL -> id + "\n";
      case ABI_VERSION -> abi.number() + "\n";
      case CPULIST -> cpulist() + "\n";
      case AGENT_ONLINE -> (online ? "1" : "0") + "\n";
      case STATUS ->
          "version "
              + abi.number()
              + "\nactive "
              + (online ? "yes" : "no")
              + "\nnr_tasks "
              + tasks.size()
              + "\n";
      case TUNABLE -> tunables.get(o.name) + "\n";
      default -> null;
    };
  }

  private String cpulist() {
    StringBuilder b = new StringBuilder();
    for (int c : cpus) b.append(b.length() == 0 ? "" : ",").append(c);
    return b.toString();
  }

  synchronized int write(Open o, String text) {
    if (destroyed) return -KernelDouble.ENODEV;
    return switch (o.kind) {
      case CTL -> command(text);
      case CPULIST -> setCpulist(text);
      case TASKS -> {
        try {
          spawn(Gtid.of(Integer.parseInt(text.strip()), 1), true);
          yield 0;
        } catch (IllegalArgumentException e) {
          yield -AbiConstants.EINVAL;
        }
      }
      case TUNABLE -> {
        try {
          tunables.put(o.name, Long.parseLong(text.strip()));
          yield 0;
        } catch (NumberFormatException e) {
          yield -AbiConstants.EINVAL;
        }
      }
      case AGENT_ONLINE -> 0;
      default -> -AbiConstants.EINVAL;
    };
  }

  // ghostfs.c gf_ctl_write: one command per write, matched word for word.
  private int command(String cmd) {
    String[] w = cmd.split(" ", -1);
    if (cmd.equals("destroy")) {
      destroy();
      return 0;
    }
    if (cmd.equals("discover tasks")) {
      for (DTask t : tasks.values()) taskNew(t);
      return 0;
    }
    if (cmd.equals("disable my bpf_prog_load")) return 0;
    if (w.length == 4 && w[0].equals("create") && w[1].equals("sw_region")) {
      int region = parse(w[2]);
      int node = parse(w[3]);
      if (region != 0 || node != 0) return -AbiConstants.EINVAL; // one region, one NUMA node
      if (words != null) return -AbiConstants.EEXIST;
      swMemory = zeroed(AbiConstants.SW_REGION_SIZE);
      words = StatusWordWriter.format(swMemory.getByteBuffer(0, swMemory.size()), 0, 0);
      try {
        sized(dir.resolve("sw_regions").resolve("sw_0"), swMemory.size());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return 0;
    }
    if (w.length == 4 && w[0].equals("become") && w[1].equals("agent"))
      return becomeAgent(parse(w[2]), parse(w[3]));
    return -AbiConstants.EINVAL;
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return Integer.MIN_VALUE;
    }
  }

  private int becomeAgent(int cpu, int qfd) {
    if (cpu == Integer.MIN_VALUE || qfd == Integer.MIN_VALUE) return -AbiConstants.EINVAL;
    if (!cpus.contains(cpu)) return -AbiConstants.EINVAL;
    DQueue q = queues.get(qfd);
    if (q == null) return -KernelDouble.EBADF;
    if (words == null) return -AbiConstants.EINVAL;
    Thread me = Thread.currentThread();
    DAgent old = agents[cpu];
    if (old != null && old.thread.isAlive() && old.thread != me) return -AbiConstants.EBUSY;
    for (int c = 0; c < agents.length; c++) {
      if (c != cpu && agents[c] != null && agents[c].thread == me) return -AbiConstants.EINVAL;
    }
    int word =
        allocWord(
            new StatusWord(
                0,
                StatusFlags.F_INUSE
                    | StatusFlags.F_ALLOCATED
                    | StatusFlags.TASK_IS_AGENT
                    | StatusFlags.TASK_ONCPU,
                Gtid.of((int) me.getId() & 0x3fffffff, 1),
                0,
                0));
    agents[cpu] = new DAgent(me, q, word);
    return 0;
  }

  /** The CPU whose agent is the calling thread, or -1. */
  int callerCpu() {
    Thread me = Thread.currentThread();
    for (int c = 0; c < agents.length; c++) {
      if (agents[c] != null && agents[c].thread == me) return c;
    }
    return -1;
  }

  private int setCpulist(String text) {
    TreeSet<Integer> next = new TreeSet<>();
    for (String part : text.strip().split(",")) {
      String[] r = part.split("-");
      int lo = parse(r[0]);
      int hi = r.length == 2 ? parse(r[1]) : lo;
      if (r.length > 2 || lo == Integer.MIN_VALUE || hi == Integer.MIN_VALUE || lo < 0 || hi < lo) {
        return -AbiConstants.EINVAL;
      }
      for (int c = lo; c <= hi; c++) next.add(c);
    }
    for (int c : next) {
      if (c >= agents.length) return -KernelDouble.ENODEV;
      if (kernel.owner(c, this) != null) return -AbiConstants.EBUSY;
    }
    for (int c : cpus) {
      if (!next.contains(c) && agents[c] != null) return -AbiConstants.EEXIST;
    }
    cpus.clear();
    cpus.addAll(next);
    return 0;
  }

  private void destroy() {
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
   * pending txn with NO_AGENT and marks the agent's status word CANFREE (docs/KERNEL-MODEL.md
   * 2.10).
   */
  synchronized void reapAgents() {
    if (destroyed || words == null) return;
    for (int c = 0; c < agents.length; c++) {
      DAgent a = agents[c];
      if (a == null || a.thread.isAlive()) continue;
      agents[c] = null;
      if (txnKernel.claim(c, c))
        txnKernel.complete(c, dev.ghostgym.abi.TxnState.NO_AGENT, System.nanoTime(), ++cpuSeqnum);
      words.setFlags(
          a.word, (words.region().flags(a.word) | StatusFlags.F_CANFREE) & ~StatusFlags.TASK_ONCPU);
    }
  }

  // --- mmap
  // ---------------------------------------------------------------------------------------

  synchronized Memory map(Open o, long length, int prot, int flags, long offset) {
    boolean writable = (prot & LibC.PROT_WRITE) != 0;
    if ((flags & LibC.MAP_SHARED) == 0 || offset != 0) return mapFailed(AbiConstants.EINVAL);
    return switch (o.kind) {
      case CPU_DATA ->
          length == cpuData.size() && (o.flags & 3) == LibC.O_RDWR
              ? cpuData
              : mapFailed(AbiConstants.EINVAL);
      // The status words are the kernel's to write: ghostfs refuses a writable mapping.
      case SW_REGION ->
          writable
              ? mapFailed(KernelDouble.EPERM)
              : length == swMemory.size() ? swMemory : mapFailed(AbiConstants.EINVAL);
      case QUEUE -> {
        DQueue q = (DQueue) o.target;
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

  // --- tasks and messages (the test drives these)
  // --------------------------------------------------

  /** A new task enters the enclave: a status word and TASK_NEW into the default queue. */
  public synchronized long spawn(long gtid, boolean runnable) {
    if (tasks.containsKey(gtid))
      throw new IllegalArgumentException("kernel double: task " + gtid + " exists");
    int flags =
        StatusFlags.F_INUSE | StatusFlags.F_ALLOCATED | (runnable ? StatusFlags.TASK_RUNNABLE : 0);
    DTask t = new DTask(gtid, allocWord(new StatusWord(0, flags, gtid, 0, 0)), defaultQueue);
    tasks.put(gtid, t);
    taskNew(t);
    return gtid;
  }

  private void taskNew(DTask t) {
    boolean runnable = (words.region().flags(t.word) & StatusFlags.TASK_RUNNABLE) != 0;
    taskMessage(
        t,
        MessageType.TASK_NEW,
        seq -> new TaskNew(t.gtid, 0, t.runtime, runnable, 0, new SwInfo(0, t.word), 0));
  }

  /** A blocked task wakes up: TASK_WAKEUP. */
  public synchronized void wake(long gtid) {
    DTask t = task(gtid);
    words.setFlags(t.word, words.region().flags(t.word) | StatusFlags.TASK_RUNNABLE);
    taskMessage(t, MessageType.TASK_WAKEUP, seq -> new TaskWakeup(gtid, 0, false, -1, -1, -1));
  }

  /** The task running on a CPU blocks: TASK_BLOCKED, and its CPU is free. */
  public synchronized void block(long gtid) {
    DTask t = task(gtid);
    int cpu = Math.max(t.cpu, 0);
    offCpu(t);
    words.setFlags(t.word, words.region().flags(t.word) & ~StatusFlags.TASK_RUNNABLE);
    taskMessage(
        t,
        MessageType.TASK_BLOCKED,
        seq -> new TaskBlocked(gtid, t.runtime, cpuSeqnum, cpu, false));
  }

  /** The task exits: TASK_DEAD, and its word becomes CANFREE. */
  public synchronized void exit(long gtid) {
    DTask t = task(gtid);
    int cpu = Math.max(t.cpu, 0);
    offCpu(t);
    taskMessage(t, MessageType.TASK_DEAD, seq -> new TaskDead(gtid, cpu));
    words.setFlags(
        t.word,
        (words.region().flags(t.word) | StatusFlags.F_CANFREE)
            & ~(StatusFlags.TASK_RUNNABLE | StatusFlags.TASK_ONCPU));
    tasks.remove(gtid);
  }

  private void offCpu(DTask t) {
    if (t.cpu >= 0 && running[t.cpu] == t.gtid) running[t.cpu] = 0;
    t.cpu = -1;
    words.setFlags(t.word, words.region().flags(t.word) & ~StatusFlags.TASK_ONCPU);
  }

  DTask task(long gtid) {
    DTask t = tasks.get(gtid);
    if (t == null) throw new IllegalArgumentException("kernel double: no task " + gtid);
    return t;
  }

  private void taskMessage(
      DTask t, MessageType type, java.util.function.IntFunction<dev.ghostgym.abi.Payload> payload) {
    // The kernel bumps the task's barrier for every message it attempts and stamps the message with
    // it.
    int seq = words.bumpBarrier(t.word);
    DQueue q = t.queue != null ? t.queue : defaultQueue;
    if (q == null) {
      dropped++;
      return;
    }
    t.queue = q;
    produce(q, new Message(type, seq, payload.apply(seq)));
  }

  /**
   * A message to the agent of {@code cpu}'s own queue (CPU messages), stamped with the agent
   * barrier.
   */
  void cpuMessage(int cpu, MessageType type, dev.ghostgym.abi.Payload p) {
    DAgent a = agents[cpu];
    if (a == null) {
      dropped++;
      return;
    }
    produce(a.queue, new Message(type, words.bumpBarrier(a.word), p));
  }

  private void produce(DQueue q, Message m) {
    if (!q.producer.produce(m)) dropped++;
    for (int c : q.wake) wakeAgent(c);
  }

  /** Bumps the agent barrier of {@code cpu} and wakes its agent if it is blocked in RUN. */
  void wakeAgent(int cpu) {
    DAgent a = agents[cpu];
    if (a == null) return;
    words.bumpBarrier(a.word);
    a.wakePending = true;
    notifyAll();
  }

  /** Fires the timers due by now: CPU_TIMER_EXPIRED to the agent of each timer's CPU. */
  void fireDue(long now) {
    List<Integer> due = new ArrayList<>();
    for (Map.Entry<Integer, DTimer> e : timers.entrySet()) {
      if (e.getValue().atNs() <= now) due.add(e.getKey());
    }
    for (int fd : due) {
      DTimer t = timers.remove(fd);
      cpuMessage(
          t.cpu(),
          MessageType.CPU_TIMER_EXPIRED,
          new CpuTimerExpired(t.cpu(), t.type(), t.cookie()));
      wakeAgent(t.cpu());
    }
  }

  /** The earliest armed timer, or Long.MAX_VALUE. */
  long nextTimer() {
    long at = Long.MAX_VALUE;
    for (DTimer t : timers.values()) at = Math.min(at, t.atNs());
    return at;
  }

  /** Timers armed now, by timerfd. */
  public synchronized Map<Integer, DTimer> armedTimers() {
    return Map.copyOf(timers);
  }

  private int allocWord(StatusWord w) {
    int i = nextWord++;
    words.write(i, w);
    words.setAvailable(words.region().capacity() - nextWord);
    return i;
  }

  synchronized int ioctl(long request, com.sun.jna.Pointer arg) {
    if (destroyed) return -KernelDouble.ENODEV;
    fireDue(System.nanoTime());
    return DoubleIoctls.handle(this, request, arg);
  }

  private static Memory zeroed(long size) {
    Memory m = new Memory(size);
    m.clear();
    return m;
  }

  private static void sized(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }
}
