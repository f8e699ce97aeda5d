package dev.ghostgym.sim;

import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.TaskBlocked;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskWakeup;
import dev.ghostgym.abi.TaskYield;
import dev.ghostgym.config.Step;

/**
 * Task programs: each task walks its program (run, sleep, yield, depart, spawn) as its bursts end.
 * Bursts are drawn one step ahead so that the oracle knows a waiting task's job size, and each step
 * sends the ghOSt message the kernel would (TASK_BLOCKED, TASK_YIELD, TASK_WAKEUP; TASK_BLOCKED
 * then TASK_DEAD on exit).
 */
final class Programs {
  private final Machine m;

  Programs(Machine m) {
    this.m = m;
  }

  /**
   * A task became runnable: draw its next burst now, so that the oracle knows its job size while it
   * waits (draws come from the task's own stream in program order, so timing does not change them).
   */
  void prefetch(SimTask t) {
    if (t.remaining > 0 || t.pending != null) return;
    Step s = t.cursor.next();
    if (s instanceof Step.Run r) {
      long d = r.duration().sample(t.rng);
      if (d > 0) {
        t.remaining = d;
        t.burst = d;
        return;
      }
      s = t.cursor.next();
    }
    t.pending = s == null ? SimTask.END : s;
  }

  /** The task on CPU c has used up its burst (or has none yet): run its next steps. */
  void advance(SimCpu c, SimTask t) {
    while (true) {
      Step s = t.pending != null ? t.pending : t.cursor.next();
      t.pending = null;
      if (s == SimTask.END) s = null;
      if (s == null && t.pool != null) {
        if (t.pool.next(c, t)) continue;
        block(c, t, -1);
        return;
      }
      if (s == null) {
        exit(c, t);
        return;
      }
      if (s instanceof Step.Run r) {
        long d = r.duration().sample(t.rng);
        if (d <= 0) continue;
        t.remaining = d;
        t.burst = d;
        // A task still in its context switch starts its burst when the switch ends.
        t.burstEndAt = Math.max(m.now, t.runStart) + d;
        t.burstHandle = m.events.add(t.burstEndAt, Machine.EV_BURST_END, t, t.epoch);
        return;
      }
      if (s instanceof Step.Sleep sl) {
        block(c, t, sl.duration().sample(t.rng));
        return;
      }
      if (s == Step.Yield.INSTANCE) {
        m.dispatch.stopTask(c, t);
        prefetch(t);
        m.accounting.becomeRunnable(t);
        if (t.ghost) {
          c.cpuSeqnum++;
          m.messaging.produceTask(
              t,
              MessageType.TASK_YIELD,
              new TaskYield(t.gtid, t.runtime, c.cpuSeqnum, 0, c.id, false));
          if ((t.lastRunFlags & RunFlags.RTLA_ON_YIELD) != 0) m.messaging.wakeAgent(c);
        } else {
          m.fair.requeue(c, t);
          c.cfsRq.skip = t; // yield_task_fair: the skip buddy
        }
        m.dispatch.afterStop(c);
        return;
      }
      if (s == Step.Depart.INSTANCE) {
        if (t.ghost) m.classSwitch.depart(c, t, true);
        continue;
      }
      if (s instanceof Step.Hint h) {
        m.prioTable.writeClass(t.gtid, h.workClass());
        continue;
      }
      if (s instanceof Step.Affinity a) {
        if (m.attributes.setAffinity(c, t, a.cpus())) return;
        continue;
      }
      if (s instanceof Step.Nice n) {
        if (m.attributes.setNice(c, t, n.nice())) return;
        continue;
      }
      if (s instanceof Step.Spawn sp) {
        m.arrivals.createTask(m.arrivals.sources[t.sourceIndex], sp.child(), t.gtid, t);
        continue;
      }
      throw new IllegalStateException("unknown step " + s);
    }
  }

  /**
   * The task blocks: TASK_BLOCKED; it wakes after {@code sleepNs}, or when woken (-1: a pool
   * worker).
   */
  private void block(SimCpu c, SimTask t, long sleepNs) {
    m.dispatch.stopTask(c, t);
    t.state = TaskState.BLOCKED;
    if (t.ghost) {
      c.cpuSeqnum++;
      m.messaging.produceTask(
          t,
          MessageType.TASK_BLOCKED,
          new TaskBlocked(t.gtid, t.runtime, c.cpuSeqnum, c.id, false));
      if ((t.lastRunFlags & RunFlags.RTLA_ON_BLOCKED) != 0) m.messaging.wakeAgent(c);
    }
    if (sleepNs >= 0) m.events.add(m.now + sleepNs, Machine.EV_WAKE, t, 0);
    m.dispatch.afterStop(c);
  }

  void exit(SimCpu c, SimTask t) {
    m.dispatch.stopTask(c, t);
    t.state = TaskState.DEAD;
    m.accounting.accountInSystem();
    m.accounting.inSystem--;
    if (Double.isFinite(t.template.program().meanServiceNs())) m.accounting.pendingFinite--;
    else m.accounting.liveInfinite--;
    m.trace.record(Machine.TR_EXIT, m.now, t.gtid, c.id, t.runtime);
    if (m.observer != null) m.observer.onExit(m.now, t.gtid);
    if (t.departed) m.accounting.departedAlive--;
    if (!t.departed) {
      m.metrics.taskCompleted(t.arrival, m.now, t.runtime, t.waitSum, t.preemptions, t.migrations);
      m.accounting.logTask(t, false);
    }
    m.prioTable.remove(t.gtid);
    if (t.ghost) {
      // The exiting task's last schedule dequeues it as a sleep, so the next pick produces
      // TASK_BLOCKED (with RTLA_ON_BLOCKED honoured) before task_dead produces TASK_DEAD
      // (KERNEL-MODEL.md 2.2: _dequeue_task_ghost, ghost_produce_prev_msgs, _task_dead_ghost).
      c.cpuSeqnum++;
      m.messaging.produceTask(
          t,
          MessageType.TASK_BLOCKED,
          new TaskBlocked(t.gtid, t.runtime, c.cpuSeqnum, c.id, false));
      if ((t.lastRunFlags & RunFlags.RTLA_ON_BLOCKED) != 0) m.messaging.wakeAgent(c);
      m.messaging.produceTask(t, MessageType.TASK_DEAD, new TaskDead(t.gtid, c.id));
      // The kernel frees the word itself when TASK_DEAD could not be delivered.
      if (t.queue == null || t.msgGated) m.tasks.remove(t.gtid);
    } else {
      m.tasks.remove(t.gtid);
    }
    m.dispatch.afterStop(c);
  }

  void wake(SimTask t) {
    if (t.state != TaskState.BLOCKED) return;
    if (m.observer != null) m.observer.onWakeup(m.now, t.gtid);
    prefetch(t);
    m.accounting.becomeRunnable(t);
    if (t.ghost) {
      int last = t.cpu;
      m.messaging.produceTask(
          t, MessageType.TASK_WAKEUP, new TaskWakeup(t.gtid, 0, false, last, last, -1));
    } else {
      m.classSwitch.cfsEnqueue(m.classSwitch.cfsHome(t), t, FairClass.Enqueue.WAKEUP);
    }
  }

  void burstEnd(SimTask t, int epoch) {
    if (t.epoch != epoch || t.state != TaskState.ON_CPU) return;
    t.burstHandle = EventQueue.NONE; // fired: the handle may be reused by the next event
    SimCpu c = m.cpus[t.cpu];
    long ran = m.now - t.runStart;
    t.runtime += ran;
    if (t.ghost) c.ghostBusy += ran;
    else c.cfsBusy += ran;
    t.runStart = m.now;
    t.remaining = 0;
    advance(c, t);
  }
}
