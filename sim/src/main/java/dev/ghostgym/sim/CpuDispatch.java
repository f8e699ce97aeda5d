package dev.ghostgym.sim;

import dev.ghostgym.abi.CpuNotIdle;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.TaskOnCpu;
import dev.ghostgym.abi.TaskPreempt;

/**
 * What runs on each CPU: putting a task on a CPU and taking it off (charging what it ran),
 * preempting a ghOSt task or a latched one, and the pick in class order (agent, CFS, the latched
 * ghOSt task, idle) that the kernel's pick_next_task makes.
 */
final class CpuDispatch {
  private final Machine m;

  CpuDispatch(Machine m) {
    this.m = m;
  }

  void startTask(SimCpu c, SimTask t) {
    startTask(c, t, 0);
  }

  /**
   * Puts {@code t} on CPU c. {@code switchNs} is a context switch the CPU spends first, running
   * nothing: CFS pays it (the paper's 599 ns); a ghOSt task's switch is in its agent's commit cost.
   */
  void startTask(SimCpu c, SimTask t, long switchNs) {
    if (m.invariants != null) m.invariants.beforeStart(c, t);
    c.current = t;
    if (t.cpu >= 0 && t.cpu != c.id) t.migrations++;
    t.cpu = c.id;
    t.state = TaskState.ON_CPU;
    if (t.firstRun < 0) t.firstRun = m.now;
    if (t.request != null && t.request.firstRun < 0) t.request.firstRun = m.now;
    long waited = m.now - t.runnableSince;
    t.waitSum += waited;
    if (t.waiting) {
      t.waiting = false;
      m.accounting.waitingCount--;
      m.accounting.waitingSinceSum -= t.runnableSince;
      m.accounting.waitedNs += waited;
    }
    m.metrics.wakeupLatency(waited);
    switchNs += Math.max(0, c.kernelUntil - m.now); // the kernel's work on this CPU comes first
    t.runStart = m.now + switchNs;
    m.trace.record(Machine.TR_RUN, m.now, c.id, t.gtid, t.ghost ? 1 : 0);
    if (m.observer != null) reportRun(c, t, switchNs);
    if (!t.ghost && c.notIdleArmed && c.agent != AgentState.NO_AGENT) {
      // prepare_task_switch: a non-ghOSt task takes a CPU whose last commit asked for
      // NEED_CPU_NOT_IDLE (once).
      c.notIdleArmed = false;
      m.messaging.produceCpu(c, MessageType.CPU_NOT_IDLE, new CpuNotIdle(c.id, t.gtid));
    }
    if (t.ghost && (t.lastRunFlags & RunFlags.SEND_TASK_ON_CPU) != 0) {
      m.messaging.produceTask(
          t, MessageType.TASK_ON_CPU, new TaskOnCpu(t.gtid, m.now, c.cpuSeqnum, c.id));
    }
    if (!t.ghost) m.fair.setCurr(c, t);
    if (t.remaining > 0) {
      t.burstEndAt = t.runStart + t.remaining;
      t.burstHandle = m.events.add(t.burstEndAt, Machine.EV_BURST_END, t, t.epoch);
    } else {
      m.programs.advance(c, t);
    }
  }

  /**
   * The kernel works {@code ns} on CPU x now (a message produced there): whatever runs there is
   * delayed by that much. A running task's burst ends later (the time is not its runtime); a task
   * or agent that starts on x next starts after the work ({@link #startTask}, {@link
   * Activations#runActivations}). The time is counted as no one's: {@code idle_ns} in per_cpu.
   */
  void kernelWork(SimCpu x, long ns) {
    long start = Math.max(m.now, x.kernelUntil);
    x.kernelUntil = start + ns;
    SimTask t = x.current;
    if (t == null) return;
    t.runStart += ns;
    if (t.burstHandle != EventQueue.NONE) {
      m.events.cancel(t.burstHandle);
      t.burstEndAt += ns;
      t.burstHandle = m.events.add(t.burstEndAt, Machine.EV_BURST_END, t, t.epoch);
    }
  }

  /** Takes the current task off CPU c, charging what it ran. */
  void stopTask(SimCpu c, SimTask t) {
    long ran = Math.max(0, m.now - t.runStart); // stopped during its context switch: it ran nothing
    t.runtime += ran;
    t.remaining = Math.max(0, t.remaining - ran);
    t.epoch++;
    m.events.cancel(t.burstHandle); // a preempted burst's end must not linger in the agenda
    t.burstHandle = EventQueue.NONE;
    if (t.ghost) c.ghostBusy += ran;
    else c.cfsBusy += ran;
    c.current = null;
    if (!t.ghost) m.fair.clearCurr(c, t);
    m.trace.record(Machine.TR_STOP, m.now, c.id, t.gtid, ran);
    if (m.observer != null) {
      // Stopped during its context switch: it ran nothing, a slice of zero length.
      if (!t.runReported) m.observer.onRun(m.now, c.id, t.gtid, t.ghost);
      t.runReported = false;
      m.observer.onStop(m.now, c.id, t.gtid);
    }
  }

  /**
   * Tells the observer when t really runs: after its context switch, if it pays one (a task stopped
   * during its switch is reported as a zero-length slice when it stops).
   */
  private void reportRun(SimCpu c, SimTask t, long switchNs) {
    if (switchNs == 0) {
      t.runReported = true;
      m.observer.onRun(m.now, c.id, t.gtid, t.ghost);
      return;
    }
    int epoch = t.epoch;
    m.at(
        t.runStart,
        () -> {
          if (t.epoch != epoch || c.current != t) return;
          t.runReported = true;
          m.observer.onRun(m.now, c.id, t.gtid, t.ghost);
        });
  }

  /** A ghOSt task is forced off CPU c while still runnable: TASK_PREEMPT. */
  void preemptGhost(SimCpu c, SimTask t, boolean elide) {
    stopTask(c, t);
    m.accounting.becomeRunnable(t);
    t.preemptions++;
    c.cpuSeqnum++;
    TaskPreempt p = new TaskPreempt(t.gtid, t.runtime, c.cpuSeqnum, 0, c.id, false, false);
    if (elide) m.messaging.suppress(t);
    else m.messaging.produceTask(t, MessageType.TASK_PREEMPT, p);
    if ((t.lastRunFlags & RunFlags.RTLA_ON_PREEMPT) != 0) m.messaging.wakeAgent(c);
  }

  /** The latched (committed, not yet running) task of c is displaced: TASK_PREEMPT{was_latched}. */
  void preemptLatched(SimCpu c) {
    SimTask t = c.latched;
    c.latched = null;
    t.latched = false;
    t.rendezvousPoisoned = false;
    c.cpuSeqnum++;
    m.messaging.produceTask(
        t,
        MessageType.TASK_PREEMPT,
        new TaskPreempt(t.gtid, t.runtime, c.cpuSeqnum, 0, c.id, false, true));
  }

  /** After a task left CPU c: update CFS flags and pick what runs next. */
  void afterStop(SimCpu c) {
    if (!c.cfsWantsCpu()) m.classSwitch.clearCfsBusy(c);
    resched(c);
  }

  /**
   * A successful remote commit's resched IPI to CPU d (KERNEL-MODEL.md 3.1): the target takes it
   * after the IPI delivery time, runs its pick, and spends the switch time before the latched task
   * runs; the task it displaces keeps running until then, so its TASK_PREEMPT and its leaving the
   * CPU (TASK_ONCPU cleared) happen at that pick, not at the commit. One IPI in flight is enough
   * (the kernel elides it while need_resched is set). With no target cost all of it happens now.
   */
  void ipi(SimCpu d) {
    if (m.costs.ipi() == 0 && m.costs.targetSwitch() == 0) {
      resched(d);
      return;
    }
    if (d.ipiPending) return;
    d.ipiPending = true;
    m.at(m.now + m.costs.ipi(), () -> takeIpi(d));
  }

  private void takeIpi(SimCpu d) {
    d.ipiPending = false;
    d.pickSwitch = m.costs.targetSwitch();
    resched(d);
    d.pickSwitch = 0;
  }

  /** Picks what runs on c now, in class order: agent, CFS, the latched ghOSt task, idle. */
  void resched(SimCpu c) {
    if (c.agentActive()) return; // the agent owns the CPU; pick again when it blocks
    SimTask cur = c.current;
    if (cur != null) {
      if (!cur.ghost) return;
      if (!c.cfsRq.isEmpty()) {
        preemptGhost(c, cur, false);
      } else if (c.latched != null) {
        preemptGhost(c, cur, (c.latched.lastRunFlags & RunFlags.ELIDE_PREEMPT) != 0);
      } else if (c.latchedIdle) {
        preemptGhost(c, cur, (c.idleRunFlags & RunFlags.ELIDE_PREEMPT) != 0);
      } else if (c.mustResched) {
        c.mustResched = false;
        preemptGhost(c, cur, c.mustReschedElide);
      } else {
        return;
      }
      // The preemption can wake this CPU's agent (RTLA_ON_PREEMPT, or TASK_PREEMPT into a queue
      // woken here). The agent class is picked first (section 2.1); starting the latched or CFS
      // task now would run it while the agent is runnable (invariant 6). runActivations deals
      // with the latched task (TASK_PREEMPT{was_latched}) and the agent yields for CFS.
      if (c.agentActive()) return;
    }
    if (!c.cfsRq.isEmpty()) {
      if (c.latched != null) {
        preemptLatched(c);
        if (c.agentActive()) return; // its TASK_PREEMPT woke this CPU's agent, which runs first
      }
      c.latchedIdle = false; // a latched idle task is dropped silently when CFS takes the CPU
      startTask(c, c.cfsRq.pollNext(), m.costs.contextSwitch());
      return;
    }
    if (c.latched != null) {
      SimTask t = c.latched;
      c.latched = null;
      t.latched = false;
      if (!t.rendezvousPoisoned) {
        startTask(c, t, c.pickSwitch);
        return;
      }
      // wait_for_rendezvous: its sync group failed, so the task is forced off before it returns
      // to user space, with no TASK_PREEMPT (ignore_prev_preemption); it stays runnable under the
      // same barrier and the CPU picks again (nothing: idle).
      t.rendezvousPoisoned = false;
    }
    if (c.latchedIdle) {
      c.latchedIdle = false; // the pick returns the idle task itself: no RTLA_ON_IDLE edge
      return;
    }
    if (c.agent == AgentState.BLOCKED && (c.yieldFlags & RunFlags.RTLA_ON_IDLE) != 0)
      m.messaging.wakeAgent(c);
  }
}
