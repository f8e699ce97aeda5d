package dev.ghostgym.sim;

import dev.ghostgym.sim.metrics.TaskRecord;
import java.util.function.Consumer;

/**
 * In-system and waiting-time accounting: the number of tasks in the system and its time integral
 * (Little's law), the tasks still to finish, and the running total of the time enclave tasks wait
 * runnable but not running, known at any instant in O(1). Also the per-task log.
 */
final class Accounting {
  private final Machine m;
  long pendingFinite;
  long liveInfinite;
  long inSystem;
  long departedAlive;
  long waitingCount;
  long waitingSinceSum;
  long waitedNs;
  long inSystemArea;
  long lastAreaChange;
  Consumer<TaskRecord> taskLog;

  Accounting(Machine m) {
    this.m = m;
  }

  /** Receives a record of every task when it exits or departs from ghOSt (null: none). */
  void taskLog(Consumer<TaskRecord> log) {
    this.taskLog = log;
  }

  void logTask(SimTask t, boolean departed) {
    if (taskLog == null) return;
    taskLog.accept(
        new TaskRecord(
            t.gtid,
            t.template.className(),
            t.template.hint(),
            departed,
            t.arrival,
            t.firstRun,
            m.now,
            t.waitSum,
            t.runtime,
            t.preemptions,
            t.migrations));
  }

  void accountInSystem() {
    inSystemArea += inSystem * (m.now - lastAreaChange);
    lastAreaChange = m.now;
  }

  /**
   * The task is runnable and off CPU from now on. Enclave tasks are counted while they wait, so
   * that the total waiting time up to any instant is known in O(1) ({@link
   * Machine#waitingTimeNs()}).
   */
  void becomeRunnable(SimTask t) {
    t.state = TaskState.RUNNABLE;
    if (m.observer != null) m.observer.onRunnable(m.now, t.gtid);
    if (t.waiting) return; // already waiting since an earlier instant
    t.runnableSince = m.now;
    if (!t.template.enclave()) return;
    t.waiting = true;
    waitingCount++;
    waitingSinceSum += m.now;
  }

  /** Total time enclave tasks have spent runnable but not running, up to now (ns). */
  long waitingTimeNs() {
    return waitedNs + waitingCount * m.now - waitingSinceSum;
  }

  /** Enclave tasks runnable but not running now. */
  long waitingTasks() {
    return waitingCount;
  }

  long inSystemArea() {
    return inSystemArea;
  }

  long inSystem() {
    return inSystem;
  }

  long departedAlive() {
    return departedAlive;
  }
}
