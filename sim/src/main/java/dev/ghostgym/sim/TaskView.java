package dev.ghostgym.sim;

/**
 * One task of a {@link Machine} as tests and tools may see it, read-only and live (see {@link
 * CpuView}). Not to be confused with the agents' own task records.
 */
public interface TaskView {
  long gtid();

  TaskState state();

  /** The CPU it runs on or last ran on, -1 if it has not run yet. */
  int cpu();

  /** In the ghOSt class (false: CFS). */
  boolean ghost();

  /**
   * CPU time charged so far (ns), not counting a burst in progress (see {@link
   * Machine#taskRuntime}).
   */
  long chargedRuntimeNs();

  /** When it first ran (ns), or -1 if it never has. */
  long firstRunNs();

  /** Its status word's barrier (Tseq): bumped by each of its messages the kernel tries to send. */
  int barrier();

  /** The id of the queue its messages go to, or -1 when it has none. */
  int queueId();
}
