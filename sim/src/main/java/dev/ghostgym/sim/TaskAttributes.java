package dev.ghostgym.sim;

import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.TaskAffinityChanged;
import dev.ghostgym.abi.TaskPriorityChanged;
import java.util.BitSet;
import java.util.List;

/**
 * A running task changes its own scheduling attributes ({affinity} and {nice} program steps), as
 * the kernel handles sched_setaffinity and set_user_nice. For a ghOSt task: {@code ghost.c}'s
 * _set_cpus_allowed_ghost produces TASK_AFFINITY_CHANGED (gtid only; the agent reads the mask with
 * sched_getaffinity) without waking an agent; _prio_changed_ghost produces TASK_PRIORITY_CHANGED
 * {gtid, nice} and wakes the task's agent; and because the task is running, core.c calls
 * set_next_task, which in ghOSt is _set_next_task_ghost: force_offcpu, so the task leaves the CPU
 * at once with TASK_PREEMPT ("get this task offcpu so the agent can incorporate these changes").
 * The kernel does not check affinity when a txn commits (validate_next_task, ghost_move_task): the
 * agents respect it. For a CFS task: the new weight counts from now on (reweight), and a running
 * task whose CPU left its mask moves to an allowed one.
 */
final class TaskAttributes {
  private final Machine m;

  TaskAttributes(Machine m) {
    this.m = m;
  }

  /** Returns true when the task left CPU c (the program continues when it runs again). */
  boolean setAffinity(SimCpu c, SimTask t, List<Integer> cpus) {
    BitSet mask = new BitSet();
    for (int cpu : cpus) mask.set(cpu);
    t.affinity = mask;
    if (t.ghost) {
      m.messaging.produceTask(
          t, MessageType.TASK_AFFINITY_CHANGED, new TaskAffinityChanged(t.gtid), false);
      forceOff(c, t);
      return true;
    }
    if (t.allowedOn(c.id)) return false;
    // migration_cpu_stop: the running CFS task moves to an allowed CPU.
    m.dispatch.stopTask(c, t);
    m.accounting.becomeRunnable(t);
    m.classSwitch.cfsEnqueue(m.classSwitch.cfsHome(t), t, FairClass.Enqueue.MIGRATE);
    m.dispatch.afterStop(c);
    return true;
  }

  /** Returns true when the task left CPU c. */
  boolean setNice(SimCpu c, SimTask t, int nice) {
    if (!t.ghost && c.cfsRq.curr == t) {
      m.fair.updateCurr(c); // the runtime so far is charged at the old weight
      c.cfsRq.load -= t.weight;
      t.weight = FairMath.weight(nice);
      c.cfsRq.load += t.weight;
    } else {
      t.weight = FairMath.weight(nice);
    }
    t.nice = nice;
    if (!t.ghost) return false;
    m.messaging.produceTask(
        t, MessageType.TASK_PRIORITY_CHANGED, new TaskPriorityChanged(t.gtid, nice));
    forceOff(c, t);
    return true;
  }

  /** force_offcpu: the running ghOSt task leaves at the schedule that follows, TASK_PREEMPT. */
  private void forceOff(SimCpu c, SimTask t) {
    m.dispatch.preemptGhost(c, t, false);
    m.programs.prefetch(t);
    m.dispatch.afterStop(c);
  }
}
