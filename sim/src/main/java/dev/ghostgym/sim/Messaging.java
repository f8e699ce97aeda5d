package dev.ghostgym.sim;

import dev.ghostgym.abi.CpuTick;
import dev.ghostgym.abi.CpuTimerExpired;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.Payload;

/**
 * Messages and barriers: a task's messages bump its barrier and go to its queue (or are suppressed
 * when the task has no queue or is gated), CPU messages (ticks, timers, CPU_NOT_IDLE) bump the
 * CPU's agent barrier and go to its agent's queue, and each message wakes the agent its queue
 * names, or the polling global agents.
 */
final class Messaging {
  private final Machine m;

  Messaging(Machine m) {
    this.m = m;
  }

  void produceTask(SimTask t, MessageType type, Payload p) {
    produceTask(t, type, p, true);
  }

  /**
   * A task message; {@code wake}: false where the kernel produces it without waking the agent
   * (_set_cpus_allowed_ghost produces TASK_AFFINITY_CHANGED and calls no ghost_wake_agent_of).
   */
  void produceTask(SimTask t, MessageType type, Payload p, boolean wake) {
    t.barrier++;
    if (m.invariants != null) m.invariants.produced(t, type, p);
    if (t.msgGated || t.queue == null) {
      m.trace.record(Machine.TR_SUPPRESSED, m.now, type.number(), t.barrier, t.gtid);
      return;
    }
    enqueue(t.queue, new Message(type, t.barrier, p), t.gtid, t.cpu, wake);
  }

  /**
   * ELIDE_PREEMPT: no TASK_PREEMPT and no barrier increment. The kernel makes no message attempt
   * here (pick_next_task_ghost clears check_prev_preemption), and only attempts move Tseq (section
   * 2.3); moving it left the agent's seqnum for the displaced task stale for good, since no message
   * would ever carry the new value, so every later commit of it was TARGET_STALE.
   */
  void suppress(SimTask t) {
    if (m.invariants != null) m.invariants.produced(t, MessageType.TASK_PREEMPT, null);
    m.trace.record(
        Machine.TR_SUPPRESSED, m.now, MessageType.TASK_PREEMPT.number(), t.barrier, t.gtid);
  }

  /**
   * A CPU message for c's agent (produce_for_agent): it moves c's agent barrier, whose new value is
   * its seqnum, and then wakes whom the agent's queue names, preferring c (agent_target_cpu): with
   * per-CPU queues c's own agent, with a centralized queue (no wakeup CPUs) nobody, the spinning
   * global agent seeing it when it polls (KERNEL-MODEL.md 2.8).
   */
  void produceCpu(SimCpu c, MessageType type, Payload p) {
    if (c.agentQueue < 0) return;
    c.aseq++;
    enqueue(m.queues.get(c.agentQueue), new Message(type, c.aseq, p), -1, c.id, true);
  }

  void enqueue(SimQueue q, Message msg, long gtid, int cpu, boolean wake) {
    int slots = Machine.slots(msg.type());
    if (q.usedSlots + slots > q.capacitySlots) {
      m.overflowed(
          q, msg.type()); // dropped, as the kernel does; the run stops (see Machine.overflowed)
      return;
    }
    q.messages.addLast(msg);
    q.usedSlots += slots;
    // _produce runs on the CPU of the event (a task never run has none: its agent pays it all).
    boolean onCpu = cpu >= 0 && m.costs.produce() > 0;
    q.producedOnCpu.addLast(onCpu);
    if (onCpu) m.dispatch.kernelWork(m.cpus[cpu], m.costs.produce());
    m.metrics.message(msg.type());
    m.trace.record(
        Machine.TR_MSG, m.now, msg.type().number(), msg.seqnum(), gtid == -1 ? cpu : gtid);
    if (!wake) return;
    // target_cpu: the queue's wakeup CPU equal to the task's (or the agent's) CPU, else the first;
    // none configured: nobody is woken.
    int[] w = q.wakeup;
    if (w.length == 0) {
      notifyPollers();
    } else {
      int target = w[0];
      for (int x : w) if (x == cpu) target = x;
      wakeAgent(m.cpus[target]);
    }
  }

  /**
   * A wakeup aimed at c's agent: bump its barrier and run it if it was blocked or spinning idle.
   */
  void wakeAgent(SimCpu c) {
    if (c.agent == AgentState.NO_AGENT) return;
    c.aseq++;
    if (c.agent == AgentState.BLOCKED || c.agent == AgentState.SPINNING) m.agents.activate(c);
  }

  void notifyPollers() {
    for (int i = 0; i < m.agents.spinnerCount; i++) {
      SimCpu c = m.cpus[m.agents.spinners[i]];
      if (c.agent == AgentState.SPINNING) m.agents.activate(c);
      else if (c.agent == AgentState.RUNNING || c.agent == AgentState.SUSPENDED) c.pollDirty = true;
    }
  }

  void timerAt(SimCpu c, long atNs, long cookie) {
    m.events.add(atNs, Machine.EV_TIMER, new Object[] {c, cookie}, 0);
  }

  void timerExpired(SimCpu c, long cookie) {
    if (!m.enclaveAlive) return;
    produceCpu(c, MessageType.CPU_TIMER_EXPIRED, new CpuTimerExpired(c.id, 0, cookie));
  }

  void tick(SimCpu c) {
    if (!m.enclaveAlive) return;
    boolean agentOn = c.agentActive();
    if (agentOn || (c.current != null && c.current.ghost)) {
      produceCpu(c, MessageType.CPU_TICK, new CpuTick(c.id, agentOn));
    }
    m.events.add(m.now + m.cfg.tickPeriodNs(), Machine.EV_TICK, c, 0);
  }
}
