package dev.ghostgym.live;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Ioctl;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.nativ.Enclave;
import dev.ghostgym.nativ.LibC;
import dev.ghostgym.nativ.Layouts;
import dev.ghostgym.nativ.NativeException;
import dev.ghostgym.nativ.Queue;
import dev.ghostgym.nativ.StatusWordRegion;
import dev.ghostgym.nativ.Struct;
import dev.ghostgym.nativ.Sys;
import dev.ghostgym.nativ.TxnSlots;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real ghOSt kernel through JNA: the ioctls go to the enclave's {@code ctl} file, the shared
 * regions are the enclave's {@code cpu_data} and {@code sw_0} mappings. The two ioctls of every
 * agent pass (COMMIT_TXN and RUN) use argument memory allocated once per thread and an fd of this
 * object's own, so a pass allocates no native memory; the rest go through {@link Enclave}.
 */
public final class KernelDevice implements GhostDevice {
  private static final Struct COMMIT = Layouts.of(AbiVersion.latest()).struct("ghost_ioc_commit_txn");
  private static final Struct RUN = Layouts.of(AbiVersion.latest()).struct("ghost_ioc_run");
  private static final Struct TIMER = Layouts.of(AbiVersion.latest()).struct("ghost_ioc_timerfd_settime");
  private static final int ITIMERSPEC_SIZE = 32;

  private final Enclave enclave;
  private final Path ctl;
  private final int ctlFd;
  private final int[] cpus;
  private final Map<Integer, Queue> queues = new ConcurrentHashMap<>();
  private final Map<Long, Integer> timers = new ConcurrentHashMap<>();
  private final ThreadLocal<Memory> commitArg = ThreadLocal.withInitial(() -> zeroed(COMMIT.size() + AbiConstants.CPU_SET_SIZE));
  private final ThreadLocal<Memory> runArg = ThreadLocal.withInitial(() -> zeroed(RUN.size()));
  private boolean closed;

  /** Over an enclave made by {@code Ghostfs.createEnclave} or {@code Ghostfs.attach} (its regions mapped). */
  public KernelDevice(Enclave enclave) {
    this.enclave = enclave;
    this.ctl = enclave.dir().resolve("ctl");
    this.cpus = CpuList.parse(enclave.cpulist());
    this.ctlFd = Sys.open(ctl, LibC.O_RDWR);
  }

  public Enclave enclave() { return enclave; }

  @Override public AbiVersion abi() { return enclave.abi(); }

  @Override public int cpus() { return enclave.txns().cpus(); }

  @Override public int[] enclaveCpus() { return cpus.clone(); }

  @Override public StatusWordRegion statusWords() { return enclave.statusWords(); }

  @Override public TxnSlots txns() { return enclave.txns(); }

  /** CLOCK_MONOTONIC, the clock of {@code commit_time} and of ghOSt timers (System.nanoTime on Linux). */
  @Override public long now() { return System.nanoTime(); }

  @Override public QueueMapping createQueue(int elems) {
    Queue q = enclave.createQueue(elems, 0);
    queues.put(q.fd(), q);
    return new QueueMapping(q.fd(), q.mapping().buffer());
  }

  private Queue queue(int fd) {
    Queue q = queues.get(fd);
    if (q == null) throw new IllegalArgumentException("queue: no queue with fd " + fd + " in " + enclave.dir());
    return q;
  }

  @Override public void configQueueWakeup(int queueFd, int... wake) { enclave.configQueueWakeup(queue(queueFd), wake); }

  @Override public void setDefaultQueue(int queueFd) { enclave.setDefaultQueue(queue(queueFd)); }

  @Override public int assocQueue(int queueFd, long gtid, int barrier) {
    try {
      return enclave.assocQueue(queue(queueFd), gtid, barrier);
    } catch (NativeException e) {
      return -e.errno();
    }
  }

  @Override public SwInfo agentStatusWord(int cpu) { return enclave.agentStatusWord(cpu); }

  @Override public SwInfo taskStatusWord(long gtid) {
    try {
      return enclave.taskStatusWord(gtid);
    } catch (NativeException e) {
      if (e.errno() == AbiConstants.ENOENT) return null;
      throw e;
    }
  }

  @Override public void freeStatusWord(SwInfo sw) { enclave.freeStatusWord(sw); }

  @Override public void commitTxn(byte[] cpuSet) {
    if (cpuSet.length != AbiConstants.CPU_SET_SIZE) {
      throw new IllegalArgumentException("commit txn: a cpu_set_t is " + AbiConstants.CPU_SET_SIZE + " bytes, got " + cpuSet.length);
    }
    Memory m = commitArg.get();
    m.setPointer(COMMIT.offset("mask_ptr"), m.share(COMMIT.size()));
    m.setInt(COMMIT.offset("mask_len"), AbiConstants.CPU_SET_SIZE);
    m.setInt(COMMIT.offset("flags"), 0);
    m.write(COMMIT.size(), cpuSet, 0, cpuSet.length);
    if (LibC.ioctl(ctlFd, Ioctl.COMMIT_TXN.request(), m) < 0) {
      throw new NativeException("ioctl", ctl + ", COMMIT_TXN", Native.getLastError());
    }
  }

  @Override public int run(long gtid, int agentBarrier, int runCpu, int runFlags) {
    Memory m = runArg.get();
    m.setLong(RUN.offset("gtid"), gtid);
    m.setInt(RUN.offset("agent_barrier"), agentBarrier);
    m.setInt(RUN.offset("task_barrier"), 0);
    m.setInt(RUN.offset("run_cpu"), runCpu);
    m.setInt(RUN.offset("run_flags"), runFlags);
    return LibC.ioctl(ctlFd, Ioctl.RUN.request(), m) < 0 ? -Native.getLastError() : 0;
  }

  @Override public long cpuTime(long gtid) {
    try {
      return enclave.cpuTime(gtid);
    } catch (NativeException e) {
      if (e.errno() == AbiConstants.ESRCH || e.errno() == AbiConstants.ENOENT) return -1;
      throw e;
    }
  }

  @Override public void timerfdSettime(int cpu, long atNs, long cookie) {
    int tfd = timers.computeIfAbsent(cookie, k -> TimerFd.create());
    Memory m = zeroed(TIMER.size() + ITIMERSPEC_SIZE);
    m.setInt(TIMER.offset("timerfd"), tfd);
    m.setInt(TIMER.offset("flags"), TimerFd.TFD_TIMER_ABSTIME);
    m.setPointer(TIMER.offset("in_tmr"), m.share(TIMER.size()));
    m.setInt(TIMER.offset("timerfd_ghost.cpu"), cpu);
    m.setInt(TIMER.offset("timerfd_ghost.flags"), AbiConstants.TIMERFD_GHOST_ENABLED);
    m.setLong(TIMER.offset("timerfd_ghost.type"), 0);
    m.setLong(TIMER.offset("timerfd_ghost.cookie"), cookie);
    // struct itimerspec { it_interval {0, 0}; it_value {sec, nsec} }: one shot at atNs.
    m.setLong(TIMER.size() + 16, Math.max(0, atNs) / 1_000_000_000L);
    m.setLong(TIMER.size() + 24, Math.max(0, atNs) % 1_000_000_000L);
    Sys.ioctl(ctlFd, ctl, Ioctl.TIMERFD_SETTIME, m);
  }

  @Override public void becomeAgent(int cpu, int queueFd) { enclave.becomeAgent(cpu, queue(queueFd)); }

  @Override public void discoverTasks() { enclave.discoverTasks(); }

  @Override public boolean agentOnline() { return enclave.agentOnline(); }

  @Override public void advertiseOnline() { enclave.advertiseOnline(); }

  @Override public void withdrawOnline() { enclave.withdrawOnline(); }

  @Override public void destroy() { enclave.destroy(); }

  /** Writes {@code tid} to the enclave's {@code tasks} file: that thread enters ghOSt. */
  public void addTask(long tid) { Sys.writeFile(enclave.dir().resolve("tasks"), Long.toString(tid)); }

  @Override public synchronized void close() {
    if (closed) return;
    closed = true;
    for (int fd : timers.values()) Sys.closeQuietly(fd);
    Sys.closeQuietly(ctlFd);
    enclave.keepOnClose(); // destruction is LiveEnclave's decision, made before this
    enclave.close();
  }

  private static Memory zeroed(long size) {
    Memory m = new Memory(size);
    m.clear();
    return m;
  }
}
