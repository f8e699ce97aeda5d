package dev.ghostgym.ghostfs;

import com.sun.jna.Pointer;

/**
 * The system calls through which ghost-gym reaches a ghOSt kernel: ghostfs files ({@code open},
 * {@code read}, {@code write}, {@code close}), the enclave ioctls, {@code mmap} of the shared
 * regions and queues, and {@code timerfd_create}. Raw, as libc returns them: -1 (or a null pointer)
 * and {@link #errno()} on failure. {@link JnaSysCalls} is the real kernel; a kernel double behind
 * the same interface lets tests check the exact bytes and strings the binding produces (see {@link
 * Sys#install}).
 */
public interface SysCalls {

  int open(String path, int flags, int mode);

  int close(int fd);

  long read(int fd, byte[] buf, long count);

  long write(int fd, byte[] buf, long count);

  /** {@code ioctl(int fd, unsigned long request, void *arg)}. */
  int ioctl(int fd, long request, Pointer arg);

  Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

  int munmap(Pointer addr, long length);

  /** {@code timerfd_create(clockid, flags)}. */
  int timerfdCreate(int clockid, int flags);

  /** The errno of the calling thread's last failed call. */
  int errno();
}
