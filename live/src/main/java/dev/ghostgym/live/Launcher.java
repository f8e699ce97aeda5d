package dev.ghostgym.live;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.ghostfs.ProcStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Starts a workload inside an enclave and watches its threads. The command is started through a
 * shell that first writes its own pid to the enclave's {@code tasks} file and then execs the
 * command, so the command runs in ghOSt from its first instruction and every thread it creates
 * inherits ghOSt at fork; {@link Sampler} reads {@code /proc/<pid>/task/<tid>/stat} of every thread
 * periodically (CPU times, policy) and moves any thread found outside ghOSt into the enclave.
 */
public final class Launcher {
  private Launcher() {}

  /**
   * {@code sh -c 'echo $$ > TASKS && exec "$@"' TASKS COMMAND ARGS...}, with the caller's
   * stdin/stdout/stderr.
   */
  public static Process start(Path tasksFile, List<String> command) throws IOException {
    if (command.isEmpty()) throw new IllegalArgumentException("no command to run");
    List<String> argv =
        new ArrayList<>(
            List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", tasksFile.toString()));
    argv.addAll(command);
    return new ProcessBuilder(argv).inheritIO().start();
  }

  /**
   * Samples the threads of a process every {@code periodMs} on a daemon thread; the last sample of
   * every thread is kept after it exits, so the totals cover the whole run.
   */
  public static final class Sampler implements AutoCloseable {
    private final long pid;
    private final LongConsumer outsider;
    private final Map<Long, ProcStat> last = new TreeMap<>();
    private final Thread thread;
    private volatile boolean stop;
    private long moved;

    /**
     * {@code outsider} gets the tid of a thread not in ghOSt (policy != SCHED_GHOST); null: none
     * moved.
     */
    public Sampler(long pid, long periodMs, LongConsumer outsider) {
      this.pid = pid;
      this.outsider = outsider;
      this.thread =
          new Thread(
              () -> {
                while (!stop) {
                  sample();
                  try {
                    Thread.sleep(periodMs);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "ghost-gym-proc-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    /** One sample of every live thread of the process. */
    public void sample() {
      Path dir = Path.of("/proc", Long.toString(pid), "task");
      List<Path> tids;
      try (Stream<Path> s = Files.list(dir)) {
        tids = s.toList();
      } catch (IOException | UncheckedIOException e) {
        return; // the process is gone
      }
      for (Path t : tids) {
        long tid;
        try {
          tid = Long.parseLong(t.getFileName().toString());
        } catch (NumberFormatException e) {
          continue;
        }
        ProcStat st;
        try {
          st = ProcStat.read(t.resolve("stat"));
        } catch (RuntimeException e) {
          continue; // the thread exited meanwhile
        }
        synchronized (last) {
          last.put(tid, st);
        }
        if (outsider != null && st.policy() != AbiConstants.SCHED_GHOST && st.state() != 'Z') {
          try {
            outsider.accept(tid);
            moved++;
          } catch (RuntimeException e) {
            // the thread may have exited, or be a thread ghOSt refuses; it runs in CFS
          }
        }
      }
    }

    /** The last sample of every thread seen, by tid. */
    public Map<Long, ProcStat> threads() {
      synchronized (last) {
        return new TreeMap<>(last);
      }
    }

    /** Threads found outside ghOSt and handed to the mover. */
    public long moved() {
      return moved;
    }

    @Override
    public void close() {
      stop = true;
      thread.interrupt();
      try {
        thread.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
