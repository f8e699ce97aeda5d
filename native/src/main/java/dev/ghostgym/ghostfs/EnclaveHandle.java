package dev.ghostgym.ghostfs;

import com.sun.jna.Memory;
import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Ioctl;
import dev.ghostgym.abi.SwInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One ghOSt enclave ({@code /sys/fs/ghost/enclave_<id>}): its {@code ctl} file, open O_RDWR because
 * it is also the ioctl target; its {@code cpu_data} txns and status-word region 0, both mmapped
 * shared; its queues; the {@code agent_online} advertisement. Made by {@link Ghostfs#createEnclave}
 * (destroyed on close unless {@link #keepOnClose()}) or {@link Ghostfs#attach} (left alive on
 * close).
 */
public final class EnclaveHandle implements AutoCloseable {

  private static final int CPULIST_RETRIES = 10;
  private static final long CPULIST_RETRY_MS = 50;
  private static final long BECOME_AGENT_PATIENCE_MS = 2000;
  private static final Map<Integer, String> CPULIST_HINTS =
      Map.of(
          AbiConstants.EBUSY,
          "a CPU belongs to another enclave (whose teardown may still be running)",
          AbiConstants.EEXIST,
          "a CPU being removed still has an agent",
          AbiConstants.ENODEV,
          "a CPU is offline",
          18,
          "the enclave is being destroyed");

  private final Path dir;
  private final Path ctl;
  private final int ctlFd;
  private final int id;
  private final AbiVersion abi;
  private final List<Queue> queues = new ArrayList<>();
  private boolean destroyOnClose;
  private Mapping cpuData;
  private Mapping swRegion;
  private TxnSlots txns;
  private StatusWordRegion statusWords;
  private int agentOnlineFd = -1;
  private boolean closed;

  private EnclaveHandle(Path dir, int ctlFd, int id, AbiVersion abi, boolean destroyOnClose) {
    this.dir = dir;
    this.ctl = dir.resolve("ctl");
    this.ctlFd = ctlFd;
    this.id = id;
    this.abi = abi;
    this.destroyOnClose = destroyOnClose;
  }

  /** Opens {@code dir/ctl} O_RDWR and reads the enclave's id and ABI; maps nothing yet. */
  static EnclaveHandle open(Path dir, boolean owned) {
    Path ctl = dir.resolve("ctl");
    int fd;
    try {
      fd = Sys.open(ctl, LibC.O_RDWR);
    } catch (NativeException e) {
      throw Ghostfs.translate(e);
    }
    try {
      int id = Integer.parseInt(Sys.readFile(ctl).strip());
      int abiNumber = Integer.parseInt(Sys.readFile(dir.resolve("abi_version")).strip());
      AbiVersion abi;
      try {
        abi = AbiVersion.of(abiNumber);
      } catch (IllegalArgumentException e) {
        throw new GhostUnavailable(
            "ghOSt ABI mismatch: "
                + dir
                + " runs ABI "
                + abiNumber
                + " but ghost-gym supports only 84, 90, 91");
      }
      return new EnclaveHandle(dir, fd, id, abi, owned);
    } catch (RuntimeException e) {
      Sys.closeQuietly(fd);
      throw e;
    }
  }

  /**
   * Creates sw region 0 (EEXIST is fine: it is there already) and maps {@code cpu_data} and {@code
   * sw_0}.
   */
  void mapShared() {
    try {
      command("create sw_region 0 0");
    } catch (NativeException e) {
      if (e.errno() != AbiConstants.EEXIST) {
        throw e;
      }
    }
    cpuData = mapFile(dir.resolve("cpu_data"), true);
    txns = new TxnSlots(cpuData.buffer());
    swRegion = mapFile(dir.resolve("sw_regions").resolve("sw_0"), false);
    statusWords = new StatusWordRegion(swRegion.buffer());
  }

  public int id() {
    return id;
  }

  public Path dir() {
    return dir;
  }

  /** The enclave's ABI ({@code abi_version}). */
  public AbiVersion abi() {
    return abi;
  }

  /** The per-CPU txns in {@code cpu_data}. */
  public TxnSlots txns() {
    return txns;
  }

  /** Status-word region 0. */
  public StatusWordRegion statusWords() {
    return statusWords;
  }

  /** Leave the enclave alive when this object is closed (hand-off to another agent process). */
  public void keepOnClose() {
    destroyOnClose = false;
  }

  /** The enclave's CPUs as a list such as {@code 1-5}. */
  public String cpulist() {
    return Sys.readFile(dir.resolve("cpulist")).strip();
  }

  /**
   * Sets the enclave's CPUs (all or none are added). EBUSY (an earlier enclave's deferred teardown)
   * is retried 10 times 50 ms apart, as the C++ library does.
   */
  public void setCpulist(String cpulist) {
    Path file = dir.resolve("cpulist");
    for (int attempt = 1; ; attempt++) {
      try {
        Sys.writeFile(file, cpulist);
        return;
      } catch (NativeException e) {
        if (e.errno() == AbiConstants.EBUSY && attempt < CPULIST_RETRIES) {
          sleep(CPULIST_RETRY_MS);
          continue;
        }
        String hint = CPULIST_HINTS.get(e.errno());
        if (hint == null) {
          throw e;
        }
        throw new IllegalStateException(e.getMessage() + ": " + hint, e);
      }
    }
  }

  /**
   * Creates a queue of {@code elems} slots (a power of two up to 65536) on {@code numaNode} and
   * maps it. The queue is closed with the enclave unless closed earlier.
   */
  public synchronized Queue createQueue(int elems, int numaNode) {
    Memory arg = IoctlArgs.createQueue(elems, numaNode);
    int fd = Sys.ioctl(ctlFd, ctl, Ioctl.CREATE_QUEUE, arg);
    try {
      Mapping m =
          Sys.mmapShared(
              fd, Path.of("[ghost_queue fd " + fd + "]"), IoctlArgs.createQueueMapsize(arg), true);
      Queue q = new Queue(fd, m, new QueueRing(m.buffer(), abi));
      queues.add(q);
      return q;
    } catch (RuntimeException e) {
      Sys.closeQuietly(fd);
      throw e;
    }
  }

  /** Makes {@code q} the queue new tasks' messages go to. */
  public void setDefaultQueue(Queue q) {
    Sys.ioctl(ctlFd, ctl, Ioctl.SET_DEFAULT_QUEUE, IoctlArgs.setDefaultQueue(q.fd()));
  }

  /**
   * Wakes the agents of up to two {@code cpus} when {@code q} gets a message; none means the agent
   * polls.
   */
  public void configQueueWakeup(Queue q, int... cpus) {
    Sys.ioctl(ctlFd, ctl, Ioctl.CONFIG_QUEUE_WAKEUP, IoctlArgs.configQueueWakeup(q.fd(), cpus));
  }

  /**
   * Routes task {@code gtid}'s future messages to {@code q}; {@code barrier} must be its
   * status-word barrier (else ESTALE). Returns the status bits ({@link
   * dev.ghostgym.abi.AssocFlags}).
   */
  public int assocQueue(Queue q, long gtid, int barrier) {
    return Sys.ioctl(ctlFd, ctl, Ioctl.ASSOC_QUEUE, IoctlArgs.assocQueue(q.fd(), gtid, barrier));
  }

  /** Where the status word of the agent on {@code cpu} is. */
  public SwInfo agentStatusWord(int cpu) {
    Memory arg = IoctlArgs.swGetInfoAgent(cpu);
    Sys.ioctl(ctlFd, ctl, Ioctl.SW_GET_INFO, arg);
    return IoctlArgs.swGetInfoResponse(arg);
  }

  /** Where the status word of task {@code gtid} is. */
  public SwInfo taskStatusWord(long gtid) {
    Memory arg = IoctlArgs.swGetInfoTask(gtid);
    Sys.ioctl(ctlFd, ctl, Ioctl.SW_GET_INFO, arg);
    return IoctlArgs.swGetInfoResponse(arg);
  }

  /** Frees a CANFREE status word (after TASK_DEAD or TASK_DEPARTED). */
  public void freeStatusWord(SwInfo sw) {
    Sys.ioctl(ctlFd, ctl, Ioctl.SW_FREE, IoctlArgs.swFree(sw.id(), sw.index()));
  }

  /** Task {@code gtid}'s runtime in ns. */
  public long cpuTime(long gtid) {
    Memory arg = IoctlArgs.getCpuTime(gtid);
    Sys.ioctl(ctlFd, ctl, Ioctl.GET_CPU_TIME, arg);
    return IoctlArgs.getCpuTimeRuntime(arg);
  }

  /**
   * Makes the calling thread the agent of {@code cpu}, fed by {@code q}. Must be called from that
   * thread, pinned to {@code cpu}. EBUSY (the previous agent is still leaving) is retried for 2 s.
   */
  public void becomeAgent(int cpu, Queue q) {
    long deadline = System.nanoTime() + BECOME_AGENT_PATIENCE_MS * 1_000_000;
    while (true) {
      try {
        command("become agent " + cpu + " " + q.fd());
        return;
      } catch (NativeException e) {
        if (e.errno() != AbiConstants.EBUSY || System.nanoTime() > deadline) {
          throw e;
        }
        sleep(1);
      }
    }
  }

  /**
   * Advertises that an agent process is online: opens {@code agent_online} O_RDWR and holds it
   * until {@link #withdrawOnline()} or close (the "agent death edge"). Only one process may hold
   * it.
   */
  public synchronized void advertiseOnline() {
    if (agentOnlineFd >= 0) {
      return;
    }
    Path file = dir.resolve("agent_online");
    try {
      agentOnlineFd = Sys.open(file, LibC.O_RDWR);
    } catch (NativeException e) {
      if (e.errno() == AbiConstants.EBUSY) {
        throw new IllegalStateException(
            "another agent process is online in " + dir + " (" + file + " is held open)", e);
      }
      throw e;
    }
  }

  /** Closes {@code agent_online}, so it reads 0 again. */
  public synchronized void withdrawOnline() {
    if (agentOnlineFd >= 0) {
      Sys.closeQuietly(agentOnlineFd);
      agentOnlineFd = -1;
    }
  }

  /** True if some agent process holds {@code agent_online}. */
  public boolean agentOnline() {
    return Sys.readFile(dir.resolve("agent_online")).strip().equals("1");
  }

  /** Asks the kernel to send TASK_NEW again for every task in the enclave. */
  public void discoverTasks() {
    command("discover tasks");
  }

  /** Destroys the enclave: agents are killed and every task falls back to CFS (asynchronously). */
  public void destroy() {
    command("destroy");
    destroyOnClose = false;
  }

  /** True while the enclave directory exists (destruction removes it, asynchronously). */
  public boolean exists() {
    return Files.isDirectory(dir);
  }

  /** Releases queues, mappings and fds; destroys the enclave first if this process created it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    withdrawOnline();
    for (Queue q : queues) {
      failure = attempt(q::close, failure);
    }
    if (swRegion != null) {
      failure = attempt(swRegion::close, failure);
    }
    if (cpuData != null) {
      failure = attempt(cpuData::close, failure);
    }
    if (destroyOnClose) {
      failure = attempt(() -> command("destroy"), failure);
    }
    Sys.closeQuietly(ctlFd);
    if (failure != null) {
      throw failure;
    }
  }

  private void command(String cmd) {
    Sys.write(ctlFd, ctl, cmd);
  }

  private static Mapping mapFile(Path file, boolean writable) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot stat " + file + ": " + e.getMessage(), e);
    }
    if (size <= 0) {
      throw new IllegalStateException(
          file + " has size " + size + "; expected the size of the region to map");
    }
    int fd = Sys.open(file, writable ? LibC.O_RDWR : LibC.O_RDONLY);
    try {
      return Sys.mmapShared(fd, file, size, writable);
    } finally {
      // The mapping keeps the file referenced; the fd is not needed after mmap.
      Sys.closeQuietly(fd);
    }
  }

  private static RuntimeException attempt(Runnable step, RuntimeException failure) {
    try {
      step.run();
    } catch (RuntimeException e) {
      if (failure == null) {
        return e;
      }
      failure.addSuppressed(e);
    }
    return failure;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry", e);
    }
  }
}
