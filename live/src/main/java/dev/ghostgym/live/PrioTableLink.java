package dev.ghostgym.live;

import dev.ghostgym.abi.PrioTableLayout;
import dev.ghostgym.port.PrioTable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How live mode reaches an application's PrioTable: as ghost-userspace's {@code
 * GhostShmem::ConnectShmem} does, by finding the memfd {@code ghost-shmem-priotable} among the
 * application's open files ({@code /proc/PID/fd}) and mapping it, or from a file the user names.
 * Until the table is found (an application creates it at start-up, after ghost-gym launched it) the
 * agents see {@link PrioTable#NONE} and the search is repeated at most every {@link #RETRY_NS}; a
 * table that is not a PrioTable is reported once and never retried.
 */
public final class PrioTableLink implements PrioTable {
  /** How often an absent table is looked for again. */
  public static final long RETRY_NS = 50_000_000L;

  private final Supplier<Optional<Path>> locate;
  private final LongSupplier clock;
  private final Supplier<String> what;
  private LivePrioTable table;
  private Path path;
  private String error;
  private long nextTry = Long.MIN_VALUE;

  PrioTableLink(Supplier<Optional<Path>> locate, LongSupplier clock, Supplier<String> what) {
    this.locate = locate;
    this.clock = clock;
    this.what = what;
  }

  /** The PrioTable of process {@code pid}, looked up under {@code procRoot} (normally /proc). */
  public static PrioTableLink ofProcess(Path procRoot, LongSupplier pid) {
    return new PrioTableLink(
        () -> find(procRoot, pid.getAsLong()),
        System::nanoTime,
        () -> "process " + pid.getAsLong());
  }

  /** The PrioTable in a file. */
  public static PrioTableLink ofFile(Path file) {
    return new PrioTableLink(
        () -> Files.isRegularFile(file) ? Optional.of(file) : Optional.empty(),
        System::nanoTime,
        file::toString);
  }

  /**
   * The fd entry under {@code procRoot/PID/fd} whose link names the PrioTable memfd, if the process
   * has one open ({@code GhostShmem::OpenGhostShmemFd}).
   */
  public static Optional<Path> find(Path procRoot, long pid) {
    if (pid <= 0) return Optional.empty();
    Path fds = procRoot.resolve(Long.toString(pid)).resolve("fd");
    try (DirectoryStream<Path> d = Files.newDirectoryStream(fds)) {
      for (Path fd : d) {
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith(PrioTableLayout.MEMFD_LINK_PREFIX))
            return Optional.of(fd);
        } catch (IOException | UnsupportedOperationException e) {
          // closed meanwhile, or not a link: not ours
        }
      }
    } catch (IOException e) {
      return Optional.empty(); // no such process (yet), or not ours to look at
    }
    return Optional.empty();
  }

  private PrioTable current() {
    if (table != null || error != null) return table == null ? NONE : table;
    long now = clock.getAsLong();
    if (now < nextTry) return NONE;
    nextTry = now + RETRY_NS;
    Optional<Path> p = locate.get();
    if (p.isEmpty()) return NONE;
    try {
      table = LivePrioTable.open(p.get());
      path = p.get();
      return table;
    } catch (IOException | IllegalArgumentException e) {
      error = p.get() + ": " + e.getMessage();
      return NONE;
    }
  }

  /**
   * One line for the run's log: which table was read, or that the application has none (and so
   * every hint was 0).
   */
  public synchronized String describe() {
    current();
    if (table != null)
      return "read the PrioTable of "
          + what.get()
          + " ("
          + path
          + "): "
          + table.schedItems()
          + " sched items, "
          + table.workClasses()
          + " work classes, "
          + table.tornReads()
          + " torn reads";
    if (error != null) return "the PrioTable of " + what.get() + " is unreadable (" + error + ")";
    return what.get()
        + " has no PrioTable (no "
        + PrioTableLayout.MEMFD_NAME
        + "); every hint was 0";
  }

  @Override
  public synchronized boolean present() {
    return current().present();
  }

  @Override
  public synchronized long updates() {
    return current().updates();
  }

  @Override
  public synchronized int workClass(long gtid) {
    return current().workClass(gtid);
  }

  @Override
  public synchronized boolean runnable(long gtid) {
    return current().runnable(gtid);
  }

  @Override
  public synchronized int qos(long gtid) {
    return current().qos(gtid);
  }

  @Override
  public synchronized long exectimeNs(long gtid) {
    return current().exectimeNs(gtid);
  }

  @Override
  public synchronized long deadlineNs(long gtid) {
    return current().deadlineNs(gtid);
  }

  @Override
  public synchronized long tornReads() {
    return current().tornReads();
  }
}
