package dev.ghostgym.actors.agent;

import dev.ghostgym.port.KernelPort;
import dev.ghostgym.port.LongMap;
import dev.ghostgym.port.PrioTable;
import java.util.function.Consumer;
import org.jctools.maps.NonBlockingHashMapLong;

/**
 * How an agent learns application hints: from the PrioTable, once per scheduling pass, as
 * ghost-userspace's Shinjuku agent does (UpdateSchedParams at the top of its loop), never from
 * kernel messages (their agent_data is 0). A pass copies the item of every task it knows whose
 * seqcount moved since its last copy, when the table changed since its last pass or a copy was left
 * torn; a task announced by TASK_NEW copies its item then. Between passes the agent works with what
 * it copied: a hint written meanwhile is seen next pass. With no table every hint is 0 and every
 * task runnable.
 *
 * <p>A copy follows {@code ShinjukuSchedParams::SeqCopyParams}: an unchanged seqcount is skipped
 * (no cost); an odd one means the application is writing the item, so the copy is thrown away: the
 * previous copy stays, except that a task whose previous copy was not RUNNABLE is taken as runnable
 * (the writer may be the task itself; the agent must not take its CPU away), and the item is copied
 * again on the next pass (ghost-userspace's writer re-marks it in the update stream at write_end).
 * Every copy attempt costs the agent the table's {@link PrioTable#readCostNs()}.
 */
final class Hints {
  private long seen = -1;
  private boolean retry;
  private long torn;

  /**
   * At the start of a pass: copy the items that changed. {@code flagChanged} hears of every task
   * whose RUNNABLE flag the copy changed.
   */
  void refresh(KernelPort port, LongMap<AgentTask> tasks, Consumer<AgentTask> flagChanged) {
    PrioTable table = port.prioTable();
    if (!table.present()) return; // no table: nothing to copy, and no copy of the task list
    synchronized (this) {
      if (changed(table)) copyAll(port, table, tasks.values(), flagChanged);
    }
  }

  /** As above, for the per-CPU agents' lock-free task table. */
  void refresh(
      KernelPort port, NonBlockingHashMapLong<AgentTask> tasks, Consumer<AgentTask> flagChanged) {
    PrioTable table = port.prioTable();
    if (!table.present()) return; // no table, no lock: the usual live per-CPU run
    // Live per-CPU agents run passes concurrently and share this copy state: one copy at a time.
    synchronized (this) {
      if (changed(table)) copyAll(port, table, tasks.values(), flagChanged);
    }
  }

  // True when the table changed since the last pass, or a copy was left torn: copy every item.
  private boolean changed(PrioTable table) {
    if (table.updates() == seen && !retry) return false;
    seen = table.updates();
    retry = false;
    return true;
  }

  private void copyAll(
      KernelPort port,
      PrioTable table,
      Iterable<AgentTask> tasks,
      Consumer<AgentTask> flagChanged) {
    for (AgentTask t : tasks) {
      boolean was = t.itemRunnable;
      copy(port, table, t);
      retry |= t.itemTorn;
      if (was != t.itemRunnable) flagChanged.accept(t);
    }
  }

  /** Copies of items found torn so far. */
  long tornReads() {
    return torn;
  }

  /** The copy of a task the agent has just heard of (TASK_NEW). */
  void read(KernelPort port, AgentTask t) {
    PrioTable table = port.prioTable();
    if (!table.present()) return;
    synchronized (this) {
      copy(port, table, t);
      retry |= t.itemTorn;
    }
  }

  private void copy(KernelPort port, PrioTable table, AgentTask t) {
    int begin = table.seqcount(t.gtid);
    if (begin == t.itemSeq) return; // nothing written since the last copy
    port.spend(table.readCostNs());
    if ((begin & 1) != 0) {
      torn++;
      t.itemTorn = true;
      if (!t.itemRunnable) {
        t.itemSeq = begin;
        t.itemRunnable = true;
      }
      return;
    }
    t.itemTorn = false;
    t.itemSeq = begin;
    t.hint = table.workClass(t.gtid);
    t.qos = table.qos(t.gtid);
    t.itemRunnable = table.runnable(t.gtid);
  }
}
