package dev.ghostgym.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * A thread's CPU mask as sched_getaffinity answers it, read from the {@code Cpus_allowed_list} line
 * of {@code /proc/TID/status} (proc(5)), which the kernel prints from the same {@code cpus_mask}.
 * Read only after TASK_AFFINITY_CHANGED, never per decision, so the file read is off the hot path.
 */
final class ProcAffinity {
  private static final String KEY = "Cpus_allowed_list:";

  private ProcAffinity() {}

  /**
   * The CPUs below {@code cpus} that thread {@code tid} may run on; null when it may run on all of
   * them, or when the thread is gone or the line is missing (the agent then treats every CPU as
   * allowed, as it did before the message).
   */
  static BitSet read(Path proc, int tid, int cpus) {
    String list = null;
    try {
      for (String line : Files.readAllLines(proc.resolve(Integer.toString(tid)).resolve("status")))
        if (line.startsWith(KEY)) list = line.substring(KEY.length()).trim();
    } catch (IOException | RuntimeException e) {
      return null; // the thread exited: its TASK_DEAD follows
    }
    if (list == null) return null;
    BitSet allowed = new BitSet(cpus);
    try {
      for (int cpu : CpuList.parse(list)) if (cpu < cpus) allowed.set(cpu);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return allowed.cardinality() == cpus ? null : allowed;
  }
}
