package dev.ghostgym.ghostfs.kerneldouble;

import dev.ghostgym.abi.CpuTimerExpired;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.Payload;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskNew;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * How the double's kernel sends messages: each stamped with the barrier it bumps (the task's for a
 * task message, the agent's for a CPU message), produced into the ring with the kernel's producer
 * rules, and followed by a kick of the one agent the queue's wakeup configuration picks (ghost.c
 * {@code target_cpu}); and the ghost timers, which fire as CPU_TIMER_EXPIRED ({@code
 * _ghost_timerfd_triggered}). Called with the enclave's monitor held.
 */
final class DoubleMessages {
  private DoubleMessages() {}

  static void taskNew(DoubleEnclave e, DoubleTask t) {
    boolean runnable = e.runnable(t);
    taskMessage(
        e,
        t,
        MessageType.TASK_NEW,
        seq -> new TaskNew(t.gtid, 0, t.runtime, runnable, 0, new SwInfo(0, t.word), 0));
  }

  static void taskMessage(
      DoubleEnclave e, DoubleTask t, MessageType type, IntFunction<Payload> payload) {
    // The kernel bumps the task's barrier for every message it attempts and stamps the message
    // with it (ghost.c __task_deliver_common, task_barrier_inc).
    int seq = e.words.bumpBarrier(t.word);
    DoubleQueue q = t.queue != null ? t.queue : e.defaultQueue;
    if (q == null) {
      e.dropped++;
      return;
    }
    t.queue = q;
    produce(e, q, new Message(type, seq, payload.apply(seq)), t.lastCpu);
  }

  /**
   * A message to the agent of {@code cpu}'s own queue (CPU messages), stamped with the agent
   * barrier (ghost.c produce_for_agent).
   */
  static void cpuMessage(DoubleEnclave e, int cpu, MessageType type, Payload p) {
    DoubleAgent a = e.agents[cpu];
    if (a == null) {
      e.dropped++;
      return;
    }
    produce(e, a.queue, new Message(type, e.words.bumpBarrier(a.word), p), cpu);
  }

  private static void produce(DoubleEnclave e, DoubleQueue q, Message m, int preferredCpu) {
    if (!q.producer.produce(m)) e.dropped++;
    int target = targetCpu(q, preferredCpu);
    if (target >= 0) wakeAgent(e, target);
  }

  /**
   * The one CPU whose agent a message on {@code q} wakes, as ghost.c {@code target_cpu} picks it:
   * {@code preferredCpu} (the task's CPU, or the CPU of a CPU message) if the queue's wakeup list
   * names it, else the first CPU listed; -1 (nobody) for a queue with no wakeup CPUs.
   */
  static int targetCpu(DoubleQueue q, int preferredCpu) {
    for (int c : q.wake) if (c == preferredCpu) return c;
    return q.wake.length > 0 ? q.wake[0] : -1;
  }

  /** Bumps the agent barrier of {@code cpu} and wakes its agent if it is blocked in RUN. */
  static void wakeAgent(DoubleEnclave e, int cpu) {
    DoubleAgent a = e.agents[cpu];
    if (a == null) return;
    e.words.bumpBarrier(a.word);
    a.wakePending = true;
    e.notifyAll();
  }

  /** Fires the timers due by now: CPU_TIMER_EXPIRED to the agent of each timer's CPU. */
  static void fireDue(DoubleEnclave e, long now) {
    List<Integer> due = new ArrayList<>();
    for (Map.Entry<Integer, DoubleTimer> x : e.timers.entrySet()) {
      if (x.getValue().atNs() <= now) due.add(x.getKey());
    }
    for (int fd : due) {
      DoubleTimer t = e.timers.remove(fd);
      cpuMessage(
          e,
          t.cpu(),
          MessageType.CPU_TIMER_EXPIRED,
          new CpuTimerExpired(t.cpu(), t.type(), t.cookie()));
      wakeAgent(e, t.cpu());
    }
  }

  /** The earliest armed timer, or Long.MAX_VALUE. */
  static long nextTimer(DoubleEnclave e) {
    long at = Long.MAX_VALUE;
    for (DoubleTimer t : e.timers.values()) at = Math.min(at, t.atNs());
    return at;
  }
}
