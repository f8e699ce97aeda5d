package dev.ghostgym.ghostfs.kerneldouble;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.ghostfs.JnaSysCalls;
import dev.ghostgym.ghostfs.LibC;
import dev.ghostgym.ghostfs.SysCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A ghOSt kernel at the system-call boundary, for tests: install it with {@code Sys.install(new
 * KernelDouble(root, cpus))} and the binding's {@code open}, {@code read}, {@code write}, {@code
 * ioctl}, {@code mmap}, {@code close} and {@code timerfd_create} of paths under {@code root} reach
 * it instead of libc (other paths still go to libc). It answers as the ghOSt kernel does
 * (kernel/sched/ghostfs.c and ghost.c of google/ghost-kernel, as summarised in docs/LIVE.md):
 * ghostfs commands are parsed word for word ({@code create <id> <abi>}, {@code become agent <cpu>
 * <qfd>}, {@code discover tasks}, {@code destroy}, {@code create sw_region <id> <node>}, tunables),
 * every ioctl's request code and argument bytes are checked (sizes, masks, flags, barriers) and
 * refused with the kernel's errno, and the double writes the queue rings, status words and txn
 * states from the kernel's side. The directory tree under {@code root} is real (the binding stats
 * it); the shared regions are native memory the double hands out from {@code mmap}.
 *
 * <p>It is a double, not a scheduler: tasks are created and moved by the test ({@link
 * DoubleEnclave#spawn}, {@code wake}, {@code block}, {@code exit}), a committed task runs until the
 * test blocks it, and a successful local commit returns at once (the kernel returns when the agent
 * runs again).
 */
public final class KernelDouble implements SysCalls {
  static final int EPERM = 1;
  static final int EBADF = 9;
  static final int EFAULT = 14;
  static final int ENOTTY = 25;
  static final int ENODEV = AbiConstants.ENODEV;

  /** First fd the double hands out, far above the process's real fds so the two never meet. */
  private static final int FIRST_FD = 1 << 20;

  /** What an fd of the double is. */
  enum Kind {
    VERSION,
    TOP_CTL,
    CTL,
    ABI_VERSION,
    CPULIST,
    AGENT_ONLINE,
    TASKS,
    STATUS,
    TUNABLE,
    CPU_DATA,
    SW_REGION,
    QUEUE,
    TIMER
  }

  /** An open file of the double. */
  static final class Open {
    final Kind kind;
    final DoubleEnclave enclave;
    final String name;
    final int flags;
    final Object target;
    int readOffset;

    Open(Kind kind, DoubleEnclave enclave, String name, int flags, Object target) {
      this.kind = kind;
      this.enclave = enclave;
      this.name = name;
      this.flags = flags;
      this.target = target;
    }
  }

  private final Path root;
  private final int possibleCpus;
  private final String versions;
  private final Map<Integer, Open> fds = new ConcurrentHashMap<>();
  private final Map<Integer, DoubleEnclave> enclaves = new TreeMap<>();
  private final AtomicInteger nextFd = new AtomicInteger(FIRST_FD);
  private final ThreadLocal<int[]> errno = ThreadLocal.withInitial(() -> new int[1]);
  private final List<String> journal = new ArrayList<>();
  private volatile boolean shutDown;

  /**
   * A ghostfs at {@code root} (created) on a machine of {@code possibleCpus} CPUs, speaking ABI 91.
   */
  public KernelDouble(Path root, int possibleCpus) {
    this(root, possibleCpus, "91\n");
  }

  /** As above, with {@code versions} as the content of the {@code version} file. */
  public KernelDouble(Path root, int possibleCpus, String versions) {
    this.root = root.toAbsolutePath().normalize();
    this.possibleCpus = possibleCpus;
    this.versions = versions;
    try {
      Files.createDirectories(this.root);
      Files.writeString(this.root.resolve("version"), versions);
      Files.writeString(this.root.resolve("ctl"), "");
    } catch (IOException e) {
      throw new IllegalStateException(
          "kernel double: cannot make " + root + ": " + e.getMessage(), e);
    }
    Thread reaper = new Thread(this::reapLoop, "kernel-double-reaper");
    reaper.setDaemon(true);
    reaper.start();
  }

  // The kernel notices an agent's exit at once; the double looks every millisecond.
  private void reapLoop() {
    while (!shutDown) {
      List<DoubleEnclave> all;
      synchronized (this) {
        all = List.copyOf(enclaves.values());
      }
      for (DoubleEnclave e : all) e.reapAgents();
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  public Path root() {
    return root;
  }

  public int possibleCpus() {
    return possibleCpus;
  }

  /** The enclave with {@code id}; IllegalArgumentException if there is none. */
  public synchronized DoubleEnclave enclave(int id) {
    DoubleEnclave e = enclaves.get(id);
    if (e == null) throw new IllegalArgumentException("kernel double: no enclave " + id);
    return e;
  }

  /**
   * Every ghostfs write and ioctl the binding made, in order, e.g. {@code "write enclave_1/ctl:
   * discover tasks"}.
   */
  public List<String> journal() {
    synchronized (journal) {
      return List.copyOf(journal);
    }
  }

  void record(String line) {
    synchronized (journal) {
      journal.add(line);
    }
  }

  /** File descriptors open on the double now (a test's leak check). */
  public int openFds() {
    return fds.size();
  }

  /** Releases every agent blocked in RUN (the test is over); later RUNs return at once. */
  public void shutDown() {
    shutDown = true;
    List<DoubleEnclave> all;
    synchronized (this) {
      all = List.copyOf(enclaves.values());
    }
    for (DoubleEnclave e : all) e.release();
  }

  boolean isShutDown() {
    return shutDown;
  }

  int fail(int e) {
    errno.get()[0] = e;
    return -1;
  }

  int newFd(Open o) {
    int fd = nextFd.getAndIncrement();
    fds.put(fd, o);
    return fd;
  }

  Open fd(int fd) {
    return fds.get(fd);
  }

  void replace(int fd, Open o) {
    fds.put(fd, o);
  }

  private boolean ours(int fd) {
    return fd >= FIRST_FD;
  }

  // --- SysCalls ---------------------------------------------------------------------------------

  @Override
  public int open(String path, int flags, int mode) {
    Path p = Path.of(path).toAbsolutePath().normalize();
    if (!p.startsWith(root)) return JnaSysCalls.INSTANCE.open(path, flags, mode);
    Path rel = root.relativize(p);
    int acc = flags & 3;
    if (rel.getNameCount() == 1) {
      String n = rel.toString();
      if (n.equals("version"))
        return acc == LibC.O_RDONLY
            ? newFd(new Open(Kind.VERSION, null, n, flags, null))
            : fail(AbiConstants.EACCES);
      if (n.equals("ctl")) return newFd(new Open(Kind.TOP_CTL, null, n, flags, null));
      return fail(AbiConstants.ENOENT);
    }
    DoubleEnclave e = enclaveAt(rel.getName(0).toString());
    if (e == null || e.destroyed()) return fail(AbiConstants.ENOENT);
    String name = rel.subpath(1, rel.getNameCount()).toString();
    int fd = e.open(name, flags);
    if (fd >= 0 && name.equals("agent_online") && acc != LibC.O_RDONLY)
      record("open enclave_" + e.id() + "/agent_online");
    return fd;
  }

  private synchronized DoubleEnclave enclaveAt(String dir) {
    if (!dir.startsWith("enclave_")) return null;
    try {
      return enclaves.get(Integer.parseInt(dir.substring("enclave_".length())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public int close(int fd) {
    if (!ours(fd)) return JnaSysCalls.INSTANCE.close(fd);
    Open o = fds.remove(fd);
    if (o == null) return fail(EBADF);
    if (o.kind == Kind.AGENT_ONLINE && (o.flags & 3) != LibC.O_RDONLY)
      record("close enclave_" + o.enclave.id() + "/agent_online");
    if (o.enclave != null) o.enclave.closed(o);
    return 0;
  }

  @Override
  public long read(int fd, byte[] buf, long count) {
    if (!ours(fd)) return JnaSysCalls.INSTANCE.read(fd, buf, count);
    Open o = fds.get(fd);
    if (o == null) return fail(EBADF);
    if ((o.flags & 3) == LibC.O_WRONLY) return fail(EBADF);
    String text =
        switch (o.kind) {
          case VERSION -> versions;
          case TOP_CTL -> "";
          default -> o.enclave.read(o);
        };
    if (text == null) return fail(AbiConstants.EINVAL);
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    int n = (int) Math.min(count, Math.max(0, b.length - o.readOffset));
    System.arraycopy(b, o.readOffset, buf, 0, n);
    o.readOffset += n;
    return n;
  }

  @Override
  public long write(int fd, byte[] buf, long count) {
    if (!ours(fd)) return JnaSysCalls.INSTANCE.write(fd, buf, count);
    Open o = fds.get(fd);
    if (o == null) return fail(EBADF);
    if ((o.flags & 3) == LibC.O_RDONLY) return fail(EBADF);
    String text = new String(buf, 0, (int) count, StandardCharsets.UTF_8);
    record(
        "write "
            + (o.enclave == null ? "" : "enclave_" + o.enclave.id() + "/")
            + o.name
            + ": "
            + text);
    // kernfs hands the whole write to the file's handler; a trailing newline is tolerated (echo).
    String cmd = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    int r = o.kind == Kind.TOP_CTL ? topCommand(cmd) : o.enclave.write(o, cmd);
    return r < 0 ? fail(-r) : count;
  }

  // ghostfs.c, the top-level ctl: "create <id> <abi>".
  private synchronized int topCommand(String cmd) {
    String[] w = cmd.split(" ", -1);
    if (w.length != 3 || !w[0].equals("create")) return -AbiConstants.EINVAL;
    int id;
    int abi;
    try {
      id = Integer.parseInt(w[1]);
      abi = Integer.parseInt(w[2]);
    } catch (NumberFormatException e) {
      return -AbiConstants.EINVAL;
    }
    if (id < 0 || !versions.lines().map(String::strip).toList().contains(Integer.toString(abi))) {
      return -AbiConstants.EINVAL;
    }
    if (enclaves.containsKey(id)) return -AbiConstants.EEXIST;
    enclaves.put(id, new DoubleEnclave(this, id, abi, root.resolve("enclave_" + id)));
    return 0;
  }

  synchronized void removed(DoubleEnclave e) {
    enclaves.remove(e.id());
  }

  /** The enclave whose CPUs include {@code cpu}, other than {@code self}, or null. */
  synchronized DoubleEnclave owner(int cpu, DoubleEnclave self) {
    for (DoubleEnclave e : enclaves.values()) {
      if (e != self && !e.destroyed() && e.hasCpu(cpu)) return e;
    }
    return null;
  }

  @Override
  public int ioctl(int fd, long request, Pointer arg) {
    if (!ours(fd)) return JnaSysCalls.INSTANCE.ioctl(fd, request, arg);
    Open o = fds.get(fd);
    if (o == null) return fail(EBADF);
    if (o.kind != Kind.CTL) return fail(ENOTTY);
    int r = o.enclave.ioctl(request, arg);
    return r < 0 ? fail(-r) : r;
  }

  @Override
  public Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) {
    Open o = ours(fd) ? fds.get(fd) : null;
    if (o == null) {
      fail(EBADF);
      return new Pointer(-1);
    }
    Memory m = o.enclave == null ? null : o.enclave.map(o, length, prot, flags, offset);
    if (m == null) {
      fail(o.enclave == null ? ENODEV : o.enclave.lastMapError());
      return new Pointer(-1);
    }
    return m;
  }

  @Override
  public int munmap(Pointer addr, long length) {
    return 0; // the double owns the memory; it lives as long as the double
  }

  @Override
  public int timerfdCreate(int clockid, int flags) {
    if (clockid != dev.ghostgym.ghostfs.Sys.CLOCK_MONOTONIC) return fail(AbiConstants.EINVAL);
    return newFd(new Open(Kind.TIMER, null, "[timerfd]", flags, null));
  }

  @Override
  public int errno() {
    return errno.get()[0];
  }
}
