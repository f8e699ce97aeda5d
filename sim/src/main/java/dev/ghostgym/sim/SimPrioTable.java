package dev.ghostgym.sim;

import dev.ghostgym.config.Source;
import dev.ghostgym.config.Step;
import dev.ghostgym.config.TaskTemplate;
import dev.ghostgym.config.Workload;
import dev.ghostgym.port.LongMap;
import dev.ghostgym.port.PrioTable;
import java.util.List;

/**
 * The workload's PrioTable (ghost-userspace shared/prio_table.h): one sched item per ghOSt thread
 * with its work class (the hint) and the RUNNABLE flag, written by the application at the moments
 * it would write them, and read by agents through {@link MachinePort#prioTable()}. A write is
 * visible from the instant it is made; agents pick it up on their next pass. Who writes, when:
 *
 * <ul>
 *   <li>thread per request: the creator writes the new thread's item (work class = its hint,
 *       runnable) right after creating it, as ghost_orchestrator.cc's InitPrioTable does for its
 *       threads; the kernel's TASK_NEW comes first;
 *   <li>worker pool: the dispatcher writes the worker's item (class, RUNNABLE) when it hands the
 *       worker a request, before waking it (LoadGenerator); the worker clears RUNNABLE when it runs
 *       out of work (MarkIdle), before it blocks;
 *   <li>a {@code {hint: N}} step: the task rewrites its own work class at that point of its
 *       program.
 * </ul>
 *
 * Only a workload that uses hints (a non-zero hint or a hint step) has a table; otherwise agents
 * get {@link PrioTable#NONE}. Simplified: no seqcount retries (a read never races a write in a
 * single-threaded simulation), no deadline or QoS fields, no per-class table.
 */
final class SimPrioTable implements PrioTable {
  /** One sched item: work class id and SCHED_ITEM_RUNNABLE. */
  private record Item(int workClass, boolean runnable) {}

  private final LongMap<Item> items = new LongMap<>();
  private final boolean present;
  private long updates;

  SimPrioTable(Workload w) {
    boolean uses = false;
    for (Source s : w.sources()) uses |= usesHints(s.template());
    this.present = uses;
  }

  private static boolean usesHints(TaskTemplate t) {
    return t.hint() != 0 || usesHints(t.program().steps());
  }

  private static boolean usesHints(List<Step> steps) {
    for (Step s : steps) {
      if (s instanceof Step.Hint) return true;
      if (s instanceof Step.Spawn sp && usesHints(sp.child())) return true;
      if (s instanceof Step.Loop l && usesHints(l.body())) return true;
    }
    return false;
  }

  /** The application writes {@code gtid}'s sched item (no-op without a table). */
  void write(long gtid, int workClass, boolean runnable) {
    if (!present) return;
    items.put(gtid, new Item(workClass, runnable));
    updates++;
  }

  /** The task rewrites its work class, keeping its RUNNABLE flag. */
  void writeClass(long gtid, int workClass) {
    Item i = items.get(gtid);
    write(gtid, workClass, i == null || i.runnable());
  }

  /** The thread is gone: its item is freed. */
  void remove(long gtid) {
    if (present && items.get(gtid) != null) {
      items.remove(gtid);
      updates++;
    }
  }

  @Override
  public boolean present() {
    return present;
  }

  @Override
  public long updates() {
    return updates;
  }

  @Override
  public int workClass(long gtid) {
    Item i = items.get(gtid);
    return i == null ? 0 : i.workClass();
  }

  @Override
  public boolean runnable(long gtid) {
    Item i = items.get(gtid);
    return i == null || i.runnable();
  }
}
