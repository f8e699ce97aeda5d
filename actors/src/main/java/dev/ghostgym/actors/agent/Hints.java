package dev.ghostgym.actors.agent;

import dev.ghostgym.port.KernelPort;
import dev.ghostgym.port.LongMap;
import dev.ghostgym.port.PrioTable;
import org.jctools.maps.NonBlockingHashMapLong;

/**
 * How an agent learns application hints: from the PrioTable, once per scheduling pass, as
 * ghost-userspace's Shinjuku agent does (UpdateSchedParams at the top of its loop), never from
 * kernel messages (their agent_data is 0). A pass re-reads the work class of every task it knows
 * when the table changed since its last pass; a task announced by TASK_NEW reads its entry then.
 * Between passes the agent works with what it read: a hint written meanwhile is seen next pass.
 * With no table every hint is 0.
 */
final class Hints {
  private long seen = -1;

  /** At the start of a pass: refresh the hints of the known tasks if the table changed. */
  void refresh(KernelPort port, LongMap<AgentTask> tasks) {
    PrioTable table = changed(port);
    if (table != null) for (AgentTask t : tasks.values()) t.hint = table.workClass(t.gtid);
  }

  /** As above, for the per-CPU agents' lock-free task table. */
  void refresh(KernelPort port, NonBlockingHashMapLong<AgentTask> tasks) {
    PrioTable table = changed(port);
    if (table != null) for (AgentTask t : tasks.values()) t.hint = table.workClass(t.gtid);
  }

  // The table if it changed since the last refresh (checked first: no task is touched otherwise).
  private PrioTable changed(KernelPort port) {
    PrioTable table = port.prioTable();
    if (!table.present() || table.updates() == seen) return null;
    seen = table.updates();
    return table;
  }

  /** The hint of a task the agent has just heard of. */
  static int read(KernelPort port, long gtid) {
    return port.prioTable().workClass(gtid);
  }
}
