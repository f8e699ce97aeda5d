package dev.ghostgym.sim;

import dev.ghostgym.config.Source;
import dev.ghostgym.config.Step;
import dev.ghostgym.config.TaskTemplate;
import dev.ghostgym.config.Workload;
import dev.ghostgym.port.LongMap;
import dev.ghostgym.port.PrioTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The workload's PrioTable (ghost-userspace shared/prio_table.h): one sched item per ghOSt thread
 * (work class id = the hint, SCHED_ITEM_RUNNABLE, deadline, seqcount) and one work class per hint
 * (QoS, expected execution time), written by the application at the moments it would write them and
 * read by agents through {@link MachinePort#prioTable()}. Who writes, when:
 *
 * <ul>
 *   <li>thread per request: the creator writes the new thread's item (work class = its hint,
 *       runnable, its deadline) right after creating it, as ghost_orchestrator.cc's InitPrioTable
 *       does for its threads; the kernel's TASK_NEW comes first;
 *   <li>worker pool: the dispatcher writes the worker's item (class, RUNNABLE, the request's
 *       deadline) when it hands the worker a request, before waking it (LoadGenerator); the worker
 *       clears RUNNABLE when it runs out of work (MarkIdle), before it blocks;
 *   <li>a {@code {hint: N}} step: the task rewrites its own work class at that point of its
 *       program.
 * </ul>
 *
 * <p>Every write is PrioTableHelper::SetSchedItem's seqcount protocol: the writer holds the item's
 * seqcount odd for {@link #writeNs} ({@code write_begin} .. {@code write_end}), then even and two
 * higher. An agent that copies the item meanwhile sees an odd count ({@link #seqcount}) and must
 * not trust its copy; what it does then is the agent's (actors' {@code Hints}, after Shinjuku's
 * {@code SeqCopyParams}). Each copy costs the reading agent {@link #readCostNs()}. Work classes are
 * read-only after init (no seqcount), as in prio_table.h: QoS from the template's {@code qos},
 * exectime its mean CPU demand.
 *
 * <p>Only a workload that uses hints (a non-zero hint or QoS, or a hint step) has a table;
 * otherwise agents get {@link PrioTable#NONE}.
 */
final class SimPrioTable implements PrioTable {
  /** One sched item as last written; the write holds the seqcount until {@code lockedUntil}. */
  private record Item(int workClass, boolean runnable, long deadline, int seq, long lockedUntil) {}

  /** A work class: read-only after init. */
  record WorkClass(int id, int qos, long exectimeNs) {}

  private final Machine m;
  private final LongMap<Item> items = new LongMap<>();
  private final Map<Integer, WorkClass> classes = new HashMap<>();
  private final boolean present;
  private final long writeNs;
  private final long readNs;
  private long updates;

  SimPrioTable(Machine m, Workload w, long writeNs, long readNs) {
    this.m = m;
    this.writeNs = writeNs;
    this.readNs = readNs;
    boolean uses = false;
    for (Source s : w.sources()) {
      uses |= usesHints(s.template());
      TaskTemplate t = s.template();
      classes.putIfAbsent(
          t.hint(), new WorkClass(t.hint(), t.qos(), (long) t.program().meanServiceNs()));
    }
    this.present = uses;
  }

  private static boolean usesHints(TaskTemplate t) {
    return t.hint() != 0 || t.qos() != 0 || usesHints(t.program().steps());
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
  void write(long gtid, int workClass, boolean runnable, long deadline) {
    if (!present) return;
    Item before = items.get(gtid);
    int seq = before == null ? 0 : before.seq();
    items.put(gtid, new Item(workClass, runnable, deadline, seq + 2, m.now + writeNs));
    updates++;
    notifySpinners();
  }

  /**
   * A spinning agent reads the table in every loop (Shinjuku's UpdateSchedParams), so it notices a
   * write as soon as the write is complete: activate it then, as {@link MachinePort#pollAt} does.
   */
  private void notifySpinners() {
    for (int i = 0; i < m.agents.spinnerCount; i++) {
      SimCpu c = m.cpus[m.agents.spinners[i]];
      m.at(
          m.now + writeNs,
          () -> {
            if (c.agent == AgentState.SPINNING) m.agents.activate(c);
            else if (c.agent == AgentState.RUNNING || c.agent == AgentState.SUSPENDED)
              c.pollDirty = true;
          });
    }
  }

  /** The task rewrites its work class, keeping its RUNNABLE flag and deadline. */
  void writeClass(long gtid, int workClass) {
    Item i = items.get(gtid);
    write(gtid, workClass, i == null || i.runnable(), i == null ? 0 : i.deadline());
  }

  /** The thread is gone: its item is freed. */
  void remove(long gtid) {
    if (present && items.get(gtid) != null) {
      items.remove(gtid);
      updates++;
    }
  }

  /** Tests and tools: an application write from outside the workload's own program. */
  void writeRunnable(long gtid, boolean runnable) {
    Item i = items.get(gtid);
    write(gtid, i == null ? 0 : i.workClass(), runnable, i == null ? 0 : i.deadline());
  }

  /** How long a write holds an item's seqcount. */
  long writeNs() {
    return writeNs;
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
  public int seqcount(long gtid) {
    Item i = items.get(gtid);
    if (i == null) return 0;
    return m.now < i.lockedUntil() ? i.seq() - 1 : i.seq(); // odd while the write is under way
  }

  @Override
  public long readCostNs() {
    return readNs;
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

  @Override
  public int qos(long gtid) {
    WorkClass c = classes.get(workClass(gtid));
    return c == null ? 0 : c.qos();
  }

  @Override
  public long exectimeNs(long gtid) {
    WorkClass c = classes.get(workClass(gtid));
    return c == null ? 0 : c.exectimeNs();
  }

  @Override
  public long deadlineNs(long gtid) {
    Item i = items.get(gtid);
    return i == null ? 0 : i.deadline();
  }
}
