package dev.ghostgym.ghostfs;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/** The real kernel: {@link SysCalls} straight to libc through JNA ({@link LibC}). */
public final class JnaSysCalls implements SysCalls {

  /** The one instance (it holds no state). */
  public static final JnaSysCalls INSTANCE = new JnaSysCalls();

  private JnaSysCalls() {}

  @Override
  public int open(String path, int flags, int mode) {
    return LibC.open(path, flags, mode);
  }

  @Override
  public int close(int fd) {
    return LibC.close(fd);
  }

  @Override
  public long read(int fd, byte[] buf, long count) {
    return LibC.read(fd, buf, count);
  }

  @Override
  public long write(int fd, byte[] buf, long count) {
    return LibC.write(fd, buf, count);
  }

  @Override
  public int ioctl(int fd, long request, Pointer arg) {
    return LibC.ioctl(fd, request, arg);
  }

  @Override
  public Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) {
    return LibC.mmap(addr, length, prot, flags, fd, offset);
  }

  @Override
  public int munmap(Pointer addr, long length) {
    return LibC.munmap(addr, length);
  }

  @Override
  public int timerfdCreate(int clockid, int flags) {
    return TimerFdCall.timerfd_create(clockid, flags);
  }

  @Override
  public int errno() {
    return Native.getLastError();
  }

  /** {@code timerfd_create}, direct-mapped like {@link LibC}. */
  private static final class TimerFdCall {
    static {
      Native.register(TimerFdCall.class, Platform.C_LIBRARY_NAME);
    }

    static native int timerfd_create(int clockid, int flags);
  }
}
