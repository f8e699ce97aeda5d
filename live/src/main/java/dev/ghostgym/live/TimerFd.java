package dev.ghostgym.live;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.ghostgym.nativ.NativeException;

/** {@code timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC)}, the fd GHOST_IOC_TIMERFD_SETTIME arms. */
final class TimerFd {
  static final int CLOCK_MONOTONIC = 1;
  static final int TFD_CLOEXEC = 0x80000;
  /** {@code TFD_TIMER_ABSTIME}: the expiry is an absolute time of the timer's clock. */
  static final int TFD_TIMER_ABSTIME = 1;

  static {
    Native.register(TimerFd.class, Platform.C_LIBRARY_NAME);
  }

  private TimerFd() {}

  private static native int timerfd_create(int clockid, int flags);

  /** A new monotonic timerfd. */
  static int create() {
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0) throw new NativeException("timerfd_create", "CLOCK_MONOTONIC", Native.getLastError());
    return fd;
  }
}
