package dev.ghostgym.app;

import dev.ghostgym.live.PrioTableLink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * {@code ghost-gym live --prio-table}: where the agents read application hints from. {@code
 * command} (the default): the PrioTable the launched command creates, found among its open files
 * once it has made one; a PID: that process's; a FILE: a PrioTable file (e.g. {@code
 * /proc/PID/fd/N}); {@code none}: no table, every hint 0.
 */
final class PrioTableOption {
  private PrioTableOption() {}

  /** The link {@code value} names (null for {@code none}); {@code commandPid}: the command's. */
  static PrioTableLink parse(String value, LongSupplier commandPid, Path procRoot) {
    if ("none".equals(value)) return null;
    if ("command".equals(value)) return PrioTableLink.ofProcess(procRoot, commandPid);
    if (value.matches("[0-9]{1,10}")) {
      long pid = Long.parseLong(value);
      if (pid > 0) return PrioTableLink.ofProcess(procRoot, () -> pid);
    }
    Path file = Path.of(value);
    if (!Files.isReadable(file))
      throw new InputError(
          "--prio-table: expected command, none, a process id or a readable PrioTable file, got "
              + value);
    return PrioTableLink.ofFile(file);
  }
}
