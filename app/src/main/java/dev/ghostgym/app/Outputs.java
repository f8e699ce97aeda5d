package dev.ghostgym.app;

import dev.ghostgym.config.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Output paths checked before any work starts (a run must not compute for an hour and then find
 * that its report cannot be written), and written through {@link AtomicFile}.
 */
final class Outputs {
  private Outputs() {}

  /**
   * The path of an output-file option, checked: its directory exists and is writable, it is no
   * directory.
   */
  static Path file(String option, String value) {
    if (value == null) return null;
    if (value.isBlank())
      throw new InputError(option + ": expected a file path, got an empty string");
    Path p;
    try {
      p = Paths.get(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new InputError(option + " " + value + ": not a valid path (" + e.getReason() + ")");
    }
    if (Files.isDirectory(p))
      throw new InputError(option + " " + value + ": is a directory; expected a file path");
    if (Files.exists(p) && !Files.isRegularFile(p)) {
      if (!Files.isWritable(p)) throw new InputError(option + " " + value + ": is not writable");
      return p; // a device or FIFO: written in place
    }
    Path dir = p.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InputError(option + " " + value + ": directory " + dir + " does not exist");
    }
    if (!Files.isWritable(dir) || dir.startsWith("/proc") || dir.startsWith("/sys")) {
      throw new InputError(option + " " + value + ": directory " + dir + " is not writable");
    }
    if (Files.exists(p) && !Files.isWritable(p))
      throw new InputError(option + " " + value + ": is not writable");
    return p;
  }

  /** Writes {@code text} to {@code p} atomically; an I/O failure is one line naming the option. */
  static void writeString(String option, Path p, String text) {
    try {
      AtomicFile.writeString(p, text);
    } catch (IOException e) {
      throw new UncheckedIOException(
          option + " " + p + ": cannot write (" + e.getMessage() + ")", e);
    }
  }
}
