package dev.ghostgym.port;

/**
 * What only a simulator knows about a task: its true remaining service, its job size and the
 * deadline its workload gave it. Oracle policies (SJF, SRPT) and EDF read it; the live runner has
 * none, so they cannot run live. Values are -1 (or Long.MAX_VALUE for deadlines) when unknown.
 */
public interface Oracle {
  /** CPU time the task still needs for its current burst, in ns, or -1. */
  long remainingNs(long gtid);

  /** CPU time of the task's current burst in total (its "job size"), in ns, or -1. */
  long burstNs(long gtid);

  /** Absolute deadline in ns of simulated time, or Long.MAX_VALUE when the task has none. */
  long deadlineNs(long gtid);
}
