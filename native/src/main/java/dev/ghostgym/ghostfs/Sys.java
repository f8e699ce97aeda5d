package dev.ghostgym.ghostfs;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.Ioctl;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Checked libc calls: each throws {@link NativeException} naming the call, the file and the errno
 * when libc reports failure. Small text files (ghostfs control and tunable files, /proc) are read
 * and written with one {@code read}/{@code write} per call, as kernfs expects one command per
 * write.
 */
public final class Sys {

  /** {@code CLOCK_MONOTONIC}, the clock of ghOSt timers and of {@code commit_time}. */
  public static final int CLOCK_MONOTONIC = 1;

  private static volatile SysCalls calls = JnaSysCalls.INSTANCE;

  private Sys() {}

  /**
   * Routes every call of this class (and of the binding above it) to {@code c}; returns the
   * previous one, for tests to put back. Production never calls this: the default is {@link
   * JnaSysCalls}.
   */
  public static SysCalls install(SysCalls c) {
    SysCalls previous = calls;
    calls = c;
    return previous;
  }

  /** The system calls in use now. */
  public static SysCalls calls() {
    return calls;
  }

  /** {@code open(path, flags | O_CLOEXEC)}; returns the fd. */
  public static int open(Path path, int flags) {
    int fd = calls.open(path.toString(), flags | LibC.O_CLOEXEC, 0);
    if (fd < 0) {
      throw new NativeException("open", path + ", " + flagName(flags), calls.errno());
    }
    return fd;
  }

  public static void close(int fd, Path path) {
    if (calls.close(fd) != 0) {
      throw new NativeException("close", String.valueOf(path), calls.errno());
    }
  }

  /** Closes and ignores errors: for cleanup paths that already have an exception to report. */
  public static void closeQuietly(int fd) {
    if (fd >= 0) {
      calls.close(fd);
    }
  }

  /** Writes {@code text} to the open {@code fd} in one write call. */
  public static void write(int fd, Path path, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    long n = calls.write(fd, bytes, bytes.length);
    if (n < 0) {
      throw new NativeException("write", path + ", \"" + text.strip() + "\"", calls.errno());
    }
    if (n != bytes.length) {
      throw new NativeException(
          "write",
          path + ", \"" + text.strip() + "\" (short write " + n + " of " + bytes.length + ")",
          AbiConstants.EINVAL);
    }
  }

  /** Opens {@code path} write-only, writes {@code text} once, closes it. */
  public static void writeFile(Path path, String text) {
    int fd = open(path, LibC.O_WRONLY);
    try {
      write(fd, path, text);
    } finally {
      closeQuietly(fd);
    }
  }

  /** Reads a whole (small) file as UTF-8. */
  public static String readFile(Path path) {
    int fd = open(path, LibC.O_RDONLY);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      while (true) {
        long n = calls.read(fd, buf, buf.length);
        if (n < 0) {
          throw new NativeException("read", path.toString(), calls.errno());
        }
        if (n == 0) {
          return out.toString(StandardCharsets.UTF_8);
        }
        out.write(buf, 0, (int) n);
      }
    } finally {
      closeQuietly(fd);
    }
  }

  /**
   * {@code ioctl(fd, request, arg)}; returns the non-negative result (some requests return an fd or
   * a bitmask).
   */
  public static int ioctl(int fd, Path ctl, Ioctl request, Pointer arg) {
    int r = calls.ioctl(fd, request.request(), arg);
    if (r < 0) {
      throw new NativeException(
          "ioctl",
          ctl + ", " + request + " 0x" + Long.toHexString(request.request()),
          calls.errno());
    }
    return r;
  }

  /**
   * {@code ioctl(fd, request, arg)} for the hot path of an agent pass: the non-negative result, or
   * minus the errno (nothing allocated, no exception built).
   */
  public static int ioctlOrErrno(int fd, long request, Pointer arg) {
    SysCalls c = calls;
    int r = c.ioctl(fd, request, arg);
    return r < 0 ? -c.errno() : r;
  }

  /** {@code mmap(NULL, size, prot, MAP_SHARED, fd, 0)}, the only kind of mapping ghOSt accepts. */
  public static Mapping mmapShared(int fd, Path file, long size, boolean writable) {
    int prot = LibC.PROT_READ | (writable ? LibC.PROT_WRITE : 0);
    Pointer p = calls.mmap(null, size, prot, LibC.MAP_SHARED, fd, 0);
    if (p == null || Pointer.nativeValue(p) == -1L) {
      throw new NativeException(
          "mmap",
          file + ", " + size + " bytes, " + (writable ? "RW" : "RO") + " shared",
          calls.errno());
    }
    return new Mapping(p, size, file.toString());
  }

  static void munmap(Pointer address, long size, String file) {
    if (calls.munmap(address, size) != 0) {
      throw new NativeException("munmap", file, calls.errno());
    }
  }

  /**
   * {@code timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC)}: a timer for GHOST_IOC_TIMERFD_SETTIME.
   */
  public static int timerfdCreate() {
    int fd = calls.timerfdCreate(CLOCK_MONOTONIC, LibC.O_CLOEXEC);
    if (fd < 0) {
      throw new NativeException("timerfd_create", "CLOCK_MONOTONIC", calls.errno());
    }
    return fd;
  }

  /** Pins the calling thread to {@code cpu} ({@code sched_setaffinity(0, ...)}). */
  public static void pinCurrentThread(int cpu) {
    if (cpu < 0 || cpu >= AbiConstants.CPU_SET_SIZE * 8) {
      throw new IllegalArgumentException(
          "cpu " + cpu + " outside a cpu_set_t's 0.." + (AbiConstants.CPU_SET_SIZE * 8 - 1));
    }
    byte[] mask = new byte[AbiConstants.CPU_SET_SIZE];
    mask[cpu / 8] = (byte) (1 << (cpu % 8));
    setAffinity(mask);
  }

  /** The calling thread's affinity as a {@code cpu_set_t} (128 bytes, CPU i is bit i). */
  public static byte[] affinity() {
    byte[] mask = new byte[AbiConstants.CPU_SET_SIZE];
    if (LibC.sched_getaffinity(0, mask.length, mask) < 0) {
      throw new NativeException("sched_getaffinity", "current thread", Native.getLastError());
    }
    return mask;
  }

  /** Sets the calling thread's affinity to a {@code cpu_set_t} mask. */
  public static void setAffinity(byte[] mask) {
    if (LibC.sched_setaffinity(0, mask.length, mask) != 0) {
      throw new NativeException("sched_setaffinity", "current thread", Native.getLastError());
    }
  }

  /** The CPU the calling thread runs on now. */
  public static int currentCpu() {
    int cpu = LibC.sched_getcpu();
    if (cpu < 0) {
      throw new NativeException("sched_getcpu", "current thread", Native.getLastError());
    }
    return cpu;
  }

  /** Clock ticks per second ({@code sysconf(_SC_CLK_TCK)}), the unit of /proc/[pid]/stat times. */
  public static long clockTicksPerSecond() {
    long hz = LibC.sysconf(LibC.SC_CLK_TCK);
    if (hz <= 0) {
      throw new NativeException("sysconf", "_SC_CLK_TCK", Native.getLastError());
    }
    return hz;
  }

  private static String flagName(int flags) {
    return switch (flags & 3) {
      case LibC.O_RDONLY -> "O_RDONLY";
      case LibC.O_WRONLY -> "O_WRONLY";
      default -> "O_RDWR";
    };
  }
}
