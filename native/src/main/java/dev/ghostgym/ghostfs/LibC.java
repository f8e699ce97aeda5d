package dev.ghostgym.ghostfs;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls the live binding needs, direct-mapped with JNA ({@link Native#register}) for low
 * call overhead. Raw: results are as libc returns them (-1 and errno on failure); {@link Sys} wraps
 * them into exceptions that name the call and the file. Linux LP64 only: {@code size_t}, {@code
 * ssize_t}, {@code off_t} and {@code unsigned long} are Java {@code long}, so ioctl request codes
 * above 2^31 (e.g. 0xC0186703) pass unsigned, never sign-extended.
 */
public final class LibC {

  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 1;
  public static final int O_RDWR = 2;
  public static final int O_CLOEXEC = 0x80000;
  public static final int PROT_READ = 1;
  public static final int PROT_WRITE = 2;
  public static final int MAP_SHARED = 1;

  /** {@code sysconf(_SC_CLK_TCK)}: clock ticks per second, the unit of /proc stat times. */
  public static final int SC_CLK_TCK = 2;

  static {
    Native.register(LibC.class, Platform.C_LIBRARY_NAME);
  }

  private LibC() {}

  public static native int open(String path, int flags, int mode);

  public static native int close(int fd);

  public static native long read(int fd, byte[] buf, long count);

  public static native long write(int fd, byte[] buf, long count);

  /** {@code ioctl(int fd, unsigned long request, void *arg)}. */
  public static native int ioctl(int fd, long request, Pointer arg);

  public static native Pointer mmap(
      Pointer addr, long length, int prot, int flags, int fd, long offset);

  public static native int munmap(Pointer addr, long length);

  /**
   * {@code pid} 0 is the calling thread; {@code mask} is a {@code cpu_set_t} of {@code cpusetsize}
   * bytes.
   */
  public static native int sched_setaffinity(int pid, long cpusetsize, byte[] mask);

  public static native int sched_getaffinity(int pid, long cpusetsize, byte[] mask);

  public static native int sched_getcpu();

  public static native long sysconf(int name);

  public static native String strerror(int errnum);
}
