package dev.ghostgym.actors.policy;

/**
 * What a policy may know about a task when it decides. Times are ns of simulated (or monotonic)
 * time. Oracle fields are -1 (deadline: Long.MAX_VALUE) when there is no oracle.
 */
public interface TaskView {
  long gtid();

  /** Application hint: the work class id of the task's PrioTable item, 0 if none. */
  int hint();

  /** The QoS of the task's work class in the PrioTable, 0 if none. */
  default int qos() {
    return 0;
  }

  int nice();

  /** When the task became runnable the last time. */
  long runnableSinceNs();

  /** CPU time received so far (attained service). */
  long attainedNs();

  int preemptions();

  /** ghOSt's prio_boost: preempted, or woken without WF_DEFERRABLE; FIFO puts it at the front. */
  boolean boosted();

  /** Oracle: CPU time left in the current burst, or -1. */
  long remainingNs();

  /** Oracle: length of the current burst, or -1. */
  long burstNs();

  /** Absolute deadline, Long.MAX_VALUE when none. */
  long deadlineNs();
}
