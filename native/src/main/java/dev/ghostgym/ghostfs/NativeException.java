package dev.ghostgym.ghostfs;

import java.util.Map;

/**
 * A libc call failed. The message names the call, the file it was about and the errno, in one line:
 * {@code write(/sys/fs/ghost/ctl, "create 1 91") failed: File exists (EEXIST, errno 17)}. Callers
 * branch on {@link #errno()} (EEXIST and EBUSY are often expected answers in ghostfs).
 */
public class NativeException extends RuntimeException {

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(1, "EPERM"),
          Map.entry(2, "ENOENT"),
          Map.entry(3, "ESRCH"),
          Map.entry(4, "EINTR"),
          Map.entry(5, "EIO"),
          Map.entry(9, "EBADF"),
          Map.entry(11, "EAGAIN"),
          Map.entry(12, "ENOMEM"),
          Map.entry(13, "EACCES"),
          Map.entry(14, "EFAULT"),
          Map.entry(16, "EBUSY"),
          Map.entry(17, "EEXIST"),
          Map.entry(18, "EXDEV"),
          Map.entry(19, "ENODEV"),
          Map.entry(20, "ENOTDIR"),
          Map.entry(21, "EISDIR"),
          Map.entry(22, "EINVAL"),
          Map.entry(25, "ENOTTY"),
          Map.entry(28, "ENOSPC"),
          Map.entry(30, "EROFS"),
          Map.entry(38, "ENOSYS"),
          Map.entry(75, "EOVERFLOW"),
          Map.entry(95, "EOPNOTSUPP"),
          Map.entry(116, "ESTALE"));

  private final String call;
  private final String file;
  private final int errno;

  public NativeException(String call, String file, int errno) {
    super(call + "(" + file + ") failed: " + describe(errno));
    this.call = call;
    this.file = file;
    this.errno = errno;
  }

  /** The libc function, e.g. {@code write}. */
  public String call() {
    return call;
  }

  /** The path (and, for writes, the command) the call was about. */
  public String file() {
    return file;
  }

  public int errno() {
    return errno;
  }

  /** "File exists (EEXIST, errno 17)". */
  public static String describe(int errno) {
    String text;
    try {
      text = LibC.strerror(errno);
    } catch (LinkageError e) {
      text = null;
    }
    String name = NAMES.getOrDefault(errno, "errno");
    return (text == null ? "error" : text)
        + " ("
        + (name.equals("errno") ? "" : name + ", ")
        + "errno "
        + errno
        + ")";
  }
}
