package dev.ghostgym.sim;

import dev.ghostgym.abi.CpuEvent;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TaskDeparted;
import java.util.ArrayList;
import java.util.List;

/**
 * CFS and the switches between the ghOSt class and CFS: non-enclave tasks, departed tasks and
 * everything after enclave destruction run in per-CPU CFS runqueues ({@link FairClass}); a CFS task
 * that wants a CPU preempts ghOSt and raises BOOST_PRIO in the agent's status word.
 */
final class ClassSwitch {
  private final Machine m;
  int cfsNext;

  ClassSwitch(Machine m) {
    this.m = m;
  }

  SimCpu cfsHome(SimTask t) {
    if (t.cpu >= 0 && m.cpus[t.cpu].taskCpu && t.allowedOn(t.cpu)) return m.cpus[t.cpu];
    for (int i = 0; i < m.enclaveCpus.length; i++) {
      SimCpu c = m.cpus[m.enclaveCpus[cfsNext % m.enclaveCpus.length]];
      cfsNext++;
      if (t.allowedOn(c.id)) return c;
    }
    // No enclave CPU is allowed: select_fallback_rq would widen the mask; run on the first.
    return m.cpus[m.enclaveCpus[0]];
  }

  /** The task leaves the ghOSt class and continues in CFS (sched_setscheduler, or the reaper). */
  void depart(SimCpu c, SimTask t, boolean wasCurrent) {
    if (c != null) c.cpuSeqnum++;
    m.messaging.produceTask(
        t,
        MessageType.TASK_DEPARTED,
        new TaskDeparted(
            t.gtid, c == null ? 0 : c.cpuSeqnum, c == null ? t.cpu : c.id, false, wasCurrent));
    t.ghost = false;
    t.msgGated = true;
    if (t.pool == null) {
      // A pool worker is not a job: its requests still complete (in CFS) and are counted then.
      t.departed = true;
      m.accounting.departedAlive++;
      m.metrics.taskDeparted();
      m.accounting.logTask(t, true);
    }
    if (wasCurrent && c != null) {
      m.fair.adoptCurrent(c, t);
      markCfsBusy(c);
    }
  }

  /**
   * A task joins c's CFS runqueue (created, woken, fallen back or moved by the balancer). If a CFS
   * task runs there, the newcomer preempts it only by check_preempt_wakeup's rule; otherwise CFS
   * outranks whatever ghOSt runs.
   */
  void cfsEnqueue(SimCpu c, SimTask t, FairClass.Enqueue how) {
    if (how != FairClass.Enqueue.MIGRATE) m.accounting.becomeRunnable(t);
    m.fair.enqueue(c, t, how);
    SimTask cur = c.current;
    if (cur != null && !cur.ghost) {
      if (how != FairClass.Enqueue.MIGRATE && m.fair.preemptsCurr(c, t)) {
        m.dispatch.stopTask(c, cur);
        m.accounting.becomeRunnable(cur);
        m.fair.requeue(c, cur);
        m.dispatch.resched(c);
      } else {
        m.fair.armSlice(c);
      }
      return;
    }
    markCfsBusy(c);
    // A CFS task preempts ghOSt: TASK_PREEMPT for the running (or latched) task, and the agent is
    // told through BOOST_PRIO to yield the CPU as soon as it can.
    if (cur != null) m.dispatch.preemptGhost(c, cur, false);
    if (c.latched != null) m.dispatch.preemptLatched(c);
    m.dispatch.resched(c);
  }

  /**
   * CFS wants CPU c. A blocked agent is not woken for it (the kernel would not pick it): it sees
   * BOOST_PRIO when a message wakes it, e.g. the TASK_PREEMPT of a displaced ghOSt task. A spinning
   * (global) agent is on the CPU and checks BOOST_PRIO in every loop, so it sees it now (and hands
   * the global role over, KERNEL-MODEL.md 2.7).
   */
  void markCfsBusy(SimCpu c) {
    int before = c.swFlags;
    c.swFlags = (c.swFlags | StatusFlags.BOOST_PRIO) & ~StatusFlags.CPU_AVAIL;
    if (before == c.swFlags) return;
    if ((before & StatusFlags.CPU_AVAIL) != 0) availability(c, MessageType.CPU_BUSY);
    if (c.agent == AgentState.SPINNING) m.agents.activate(c);
    else if (c.agent == AgentState.RUNNING || c.agent == AgentState.SUSPENDED) c.pollDirty = true;
  }

  /**
   * CFS left CPU c. A spinning global agent would notice CPU_AVAIL on its next poll; it is only
   * re-run on news here, so tell it.
   */
  void clearCfsBusy(SimCpu c) {
    int before = c.swFlags;
    c.swFlags = (c.swFlags | StatusFlags.CPU_AVAIL) & ~StatusFlags.BOOST_PRIO;
    if ((before & StatusFlags.CPU_AVAIL) == 0) availability(c, MessageType.CPU_AVAILABLE);
    if (before != c.swFlags) m.messaging.notifyPollers();
  }

  /**
   * handle_cpu_availability: with deliver_cpu_availability, the agent of a CPU that a higher class
   * takes or leaves hears CPU_BUSY or CPU_AVAILABLE (KERNEL-MODEL.md 2.2, 2.9 (5)).
   */
  private void availability(SimCpu c, MessageType type) {
    if (m.deliverCpuAvailability && m.enclaveAlive)
      m.messaging.produceCpu(c, type, new CpuEvent(c.id));
  }

  /** Destroys the enclave: every agent dies and every task falls back to CFS with TASK_DEPARTED. */
  void destroyEnclave() {
    for (SimCpu c : m.cpus) m.faults.killAgent(c.id);
    m.enclaveAlive = false;
    List<SimTask> ghosts = new ArrayList<>();
    for (SimTask t : m.tasks.values()) if (t.ghost && t.state != TaskState.DEAD) ghosts.add(t);
    ghosts.sort((a, b) -> Long.compare(a.gtid, b.gtid));
    for (SimTask t : ghosts) {
      boolean current = t.state == TaskState.ON_CPU;
      SimCpu c = t.cpu >= 0 ? m.cpus[t.cpu] : null;
      if (t.latched && c != null && c.latched == t) {
        c.latched = null;
        t.latched = false;
      }
      depart(current ? c : null, t, current);
      if (t.state == TaskState.RUNNABLE) cfsEnqueue(cfsHome(t), t, FairClass.Enqueue.WAKEUP);
    }
    for (int id : m.enclaveCpus) m.dispatch.resched(m.cpus[id]);
    if (m.invariants != null) m.invariants.afterDestroy();
  }
}
