package dev.ghostgym.bench;

import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;

/**
 * Heap in use after a run of N completed tasks (default 2,000,000), measured after a full GC while
 * the finished machine is still reachable, next to the same for N/10 tasks: flat memory means the
 * two are about equal. Run: {@code java -cp bench/target/benchmarks.jar
 * dev.ghostgym.bench.HeapCheck [tasks]}
 */
public final class HeapCheck {
  public static void main(String[] args) {
    long tasks = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
    for (long n : new long[] {tasks / 10, tasks}) {
      SimConfig cfg = SimConfig.of(8, 1, Overheads.PAPER, n);
      Machine m =
          new Machine(
              cfg, Workloads.load("rocksdb-shinjuku", Map.of(), 8), Policies.create("fifo"));
      long t0 = System.nanoTime();
      SimResult r = m.run();
      double secs = (System.nanoTime() - t0) / 1e9;
      System.gc();
      System.gc();
      MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
      long used = mem.getHeapMemoryUsage().getUsed();
      System.out.printf(
          "tasks completed %,d: heap used after GC %.1f MiB (machine still reachable: %d CPUs), %.1f s, %,.0f messages/s%n",
          r.metrics().completed(),
          used / 1048576.0,
          m.cpuCount(),
          secs,
          r.metrics().messagesTotal() / secs);
    }
  }
}
