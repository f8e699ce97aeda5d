package dev.ghostgym.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.ghostfs.ProcStat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workload launcher on real processes of this machine, with a regular file standing in for the
 * enclave's {@code tasks} file: the command's own pid is written there before it runs, and its
 * threads are sampled from /proc (all in CFS here, so all are reported as outsiders).
 */
class LauncherTest {
  @TempDir Path dir;

  @Test
  void theCommandWritesItsPidToTasksThenRunsAndIsSampled() throws Exception {
    Path tasks = Files.createFile(dir.resolve("tasks"));
    Process p =
        Launcher.start(
            tasks,
            List.of("/bin/sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; exit 3"));
    List<Long> outsiders = new ArrayList<>();
    Launcher.Sampler s =
        new Launcher.Sampler(
            p.pid(),
            20,
            tid -> {
              synchronized (outsiders) {
                outsiders.add(tid);
              }
            });
    assertEquals(3, p.waitFor(), "the command's exit code");
    s.close();
    assertEquals(
        Long.toString(p.pid()),
        Files.readString(tasks).strip(),
        "exec keeps the pid written to tasks");
    Map<Long, ProcStat> threads = s.threads();
    assertTrue(threads.containsKey(p.pid()), "the main thread was sampled: " + threads.keySet());
    ProcStat main = threads.get(p.pid());
    assertEquals("sh", main.comm());
    assertTrue(main.utime() + main.stime() > 0, "it used CPU: " + main);
    synchronized (outsiders) {
      assertTrue(outsiders.contains(p.pid()), "CFS threads are handed to the mover");
    }
  }
}
