package dev.ghostgym.live;

import com.sun.jna.Memory;
import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.Ioctl;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.ghostfs.EnclaveHandle;
import dev.ghostgym.ghostfs.IoctlArgs;
import dev.ghostgym.ghostfs.LibC;
import dev.ghostgym.ghostfs.NativeException;
import dev.ghostgym.ghostfs.Queue;
import dev.ghostgym.ghostfs.StatusWordRegion;
import dev.ghostgym.ghostfs.Sys;
import dev.ghostgym.ghostfs.TxnSlots;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real ghOSt kernel through JNA: the ioctls go to the enclave's {@code ctl} file, the shared
 * regions are the enclave's {@code cpu_data} and {@code sw_0} mappings. Every argument is built by
 * {@link IoctlArgs} (the bytes the tests check against a kernel double); the two ioctls of every
 * agent pass (COMMIT_TXN and RUN) fill argument memory allocated once per thread and use an fd of
 * this object's own, so a pass allocates no native memory; the rest go through {@link
 * EnclaveHandle}. All system calls go through {@link Sys} (JNA in production, a kernel double in
 * tests).
 */
public final class KernelDevice implements GhostDevice {

  private final EnclaveHandle enclave;
  private final Path ctl;
  private final int ctlFd;
  private final int[] cpus;
  private final Map<Integer, Queue> queues = new ConcurrentHashMap<>();
  private final Map<Long, Integer> timers = new ConcurrentHashMap<>();
  private final ThreadLocal<Memory> commitArg =
      ThreadLocal.withInitial(() -> zeroed(IoctlArgs.COMMIT_TXN_SIZE));
  private final ThreadLocal<Memory> runArg =
      ThreadLocal.withInitial(() -> zeroed(IoctlArgs.RUN_SIZE));
  // And the per-task ioctls of a pass: a new task placed (ASSOC_QUEUE), a dead one's word freed
  // (SW_FREE), a slice's runtime (GET_CPU_TIME).
  private final ThreadLocal<Memory> assocArg =
      ThreadLocal.withInitial(() -> zeroed(IoctlArgs.ASSOC_QUEUE_SIZE));
  private final ThreadLocal<Memory> swFreeArg =
      ThreadLocal.withInitial(() -> zeroed(IoctlArgs.SW_FREE_SIZE));
  private final ThreadLocal<Memory> cpuTimeArg =
      ThreadLocal.withInitial(() -> zeroed(IoctlArgs.GET_CPU_TIME_SIZE));
  private boolean closed;

  /**
   * Over an enclave made by {@code Ghostfs.createEnclave} or {@code Ghostfs.attach} (its regions
   * mapped).
   */
  public KernelDevice(EnclaveHandle enclave) {
    this.enclave = enclave;
    this.ctl = enclave.dir().resolve("ctl");
    this.cpus = CpuList.parse(enclave.cpulist());
    this.ctlFd = Sys.open(ctl, LibC.O_RDWR);
  }

  public EnclaveHandle enclave() {
    return enclave;
  }

  @Override
  public AbiVersion abi() {
    return enclave.abi();
  }

  @Override
  public int cpus() {
    return enclave.txns().cpus();
  }

  @Override
  public int[] enclaveCpus() {
    return cpus.clone();
  }

  @Override
  public StatusWordRegion statusWords() {
    return enclave.statusWords();
  }

  @Override
  public TxnSlots txns() {
    return enclave.txns();
  }

  /**
   * CLOCK_MONOTONIC, the clock of {@code commit_time} and of ghOSt timers (System.nanoTime on
   * Linux).
   */
  @Override
  public long now() {
    return System.nanoTime();
  }

  @Override
  public QueueMapping createQueue(int elems) {
    Queue q = enclave.createQueue(elems, 0);
    queues.put(q.fd(), q);
    return new QueueMapping(q.fd(), q.mapping().buffer());
  }

  private Queue queue(int fd) {
    Queue q = queues.get(fd);
    if (q == null)
      throw new IllegalArgumentException("queue: no queue with fd " + fd + " in " + enclave.dir());
    return q;
  }

  @Override
  public void configQueueWakeup(int queueFd, int... wake) {
    enclave.configQueueWakeup(queue(queueFd), wake);
  }

  @Override
  public void setDefaultQueue(int queueFd) {
    enclave.setDefaultQueue(queue(queueFd));
  }

  @Override
  public int assocQueue(int queueFd, long gtid, int barrier) {
    Memory m = assocArg.get();
    IoctlArgs.fillAssocQueue(m, queue(queueFd).fd(), gtid, barrier);
    return Sys.ioctlOrErrno(ctlFd, Ioctl.ASSOC_QUEUE.request(), m);
  }

  @Override
  public SwInfo agentStatusWord(int cpu) {
    return enclave.agentStatusWord(cpu);
  }

  // A task that is gone (or whose word is gone) is ENOENT for GHOST_IOC_SW_GET_INFO and ESRCH for
  // GHOST_IOC_GET_CPU_TIME (ghost_sw_get_info, ghost_get_cpu_time in kernel/sched/ghost.c);
  // ghost-userspace's GhostHelper (lib/ghost.h) returns that error and leaves its answer untouched.
  // Those read as "none"; any other errno is a real failure.
  @Override
  public SwInfo taskStatusWord(long gtid) {
    try {
      return enclave.taskStatusWord(gtid);
    } catch (NativeException e) {
      if (e.errno() == AbiConstants.ENOENT) return null;
      throw e;
    }
  }

  @Override
  public void freeStatusWord(SwInfo sw) {
    Memory m = swFreeArg.get();
    IoctlArgs.fillSwFree(m, sw.id(), sw.index());
    int r = Sys.ioctlOrErrno(ctlFd, Ioctl.SW_FREE.request(), m);
    if (r < 0) throw new NativeException("ioctl", ctl + ", SW_FREE", -r);
  }

  @Override
  public void commitTxn(byte[] cpuSet) {
    Memory m = commitArg.get();
    IoctlArgs.fillCommitTxn(m, cpuSet);
    int r = Sys.ioctlOrErrno(ctlFd, Ioctl.COMMIT_TXN.request(), m);
    if (r < 0) throw new NativeException("ioctl", ctl + ", COMMIT_TXN", -r);
  }

  @Override
  public int run(long gtid, int agentBarrier, int runCpu, int runFlags) {
    Memory m = runArg.get();
    IoctlArgs.fillRun(m, gtid, agentBarrier, 0, runCpu, runFlags);
    int r = Sys.ioctlOrErrno(ctlFd, Ioctl.RUN.request(), m);
    return Math.min(r, 0);
  }

  /** From {@code /proc/TID/status} ({@link ProcAffinity}): what sched_getaffinity answers. */
  @Override
  public java.util.BitSet taskAffinity(long gtid) {
    return ProcAffinity.read(Path.of("/proc"), Gtid.tid(gtid), cpus());
  }

  @Override
  public long cpuTime(long gtid) {
    Memory m = cpuTimeArg.get();
    IoctlArgs.fillGetCpuTime(m, gtid);
    int r = Sys.ioctlOrErrno(ctlFd, Ioctl.GET_CPU_TIME.request(), m);
    if (r == -AbiConstants.ESRCH) return -1;
    if (r < 0) throw new NativeException("ioctl", ctl + ", GET_CPU_TIME", -r);
    return IoctlArgs.getCpuTimeRuntime(m);
  }

  @Override
  public void timerfdSettime(int cpu, long atNs, long cookie) {
    int tfd = timers.computeIfAbsent(cookie, k -> Sys.timerfdCreate());
    Sys.ioctl(ctlFd, ctl, Ioctl.TIMERFD_SETTIME, IoctlArgs.timerfdSettime(tfd, cpu, atNs, cookie));
  }

  @Override
  public void becomeAgent(int cpu, int queueFd) {
    enclave.becomeAgent(cpu, queue(queueFd));
  }

  @Override
  public void discoverTasks() {
    enclave.discoverTasks();
  }

  @Override
  public boolean agentOnline() {
    return enclave.agentOnline();
  }

  @Override
  public void advertiseOnline() {
    enclave.advertiseOnline();
  }

  @Override
  public void withdrawOnline() {
    enclave.withdrawOnline();
  }

  @Override
  public void destroy() {
    enclave.destroy();
  }

  /** Writes {@code tid} to the enclave's {@code tasks} file: that thread enters ghOSt. */
  public void addTask(long tid) {
    Sys.writeFile(enclave.dir().resolve("tasks"), Long.toString(tid));
  }

  @Override
  public synchronized void close() {
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
