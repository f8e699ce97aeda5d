package dev.ghostgym.ghostfs.kerneldouble;

import dev.ghostgym.abi.CpuEvent;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TaskPreempt;

/**
 * A higher scheduling class (CFS) on a CPU of the double's enclave, as kernel/sched/ghost.c treats
 * it: the ghOSt task running there is preempted (TASK_PREEMPT, {@code ghost_task_preempted}); the
 * CPU's agent, whenever it is picked while the CFS task is runnable, finds {@code BOOST_PRIO} in
 * its status word ({@code pick_next_ghost_agent}, {@code ghost_update_boost_prio}) and should give
 * the CPU back; once CFS actually has the CPU (the agent blocked in RUN) {@code CPU_AVAIL} is clear
 * in the agent's word and commits there fail CPU_UNAVAIL ({@code ghost_can_schedule}); CPU_BUSY and
 * CPU_AVAILABLE go to the agent when the {@code deliver_cpu_availability} tunable is set
 * (docs/KERNEL-MODEL.md §1.8, §2.9). Called with the enclave's monitor held.
 */
final class DoubleCfs {
  private DoubleCfs() {}

  /** A CFS task becomes runnable on {@code cpu}. */
  static void runnable(DoubleEnclave e, int cpu) {
    if (e.cfs[cpu]) return;
    e.cfs[cpu] = true;
    e.kernel.record("kernel: cfs runnable on " + cpu);
    preemptRunning(e, cpu);
    DoubleAgent a = e.agents[cpu];
    if (a == null || a.inRun) {
      busy(e, cpu); // no agent to pick, or it is blocked in RUN: CFS runs now
    } else {
      boost(e, a, true); // the agent is on the CPU: rescheduled, and picked again boosted
    }
  }

  /** The CFS tasks of {@code cpu} have all blocked or left: the CPU is ghOSt's again. */
  static void done(DoubleEnclave e, int cpu) {
    if (!e.cfs[cpu]) return;
    e.cfs[cpu] = false;
    e.kernel.record("kernel: cfs done on " + cpu);
    DoubleAgent a = e.agents[cpu];
    if (a == null) return;
    boost(e, a, false);
    setAvail(e, a, true);
    if (e.deliversCpuAvailability())
      DoubleMessages.cpuMessage(e, cpu, MessageType.CPU_AVAILABLE, new CpuEvent(cpu));
  }

  /**
   * The agent of {@code cpu} blocks in RUN: if a CFS task is waiting, CFS takes the CPU. Its agent
   * word loses {@code CPU_AVAIL} (and CPU_BUSY is sent when enabled).
   */
  static void agentBlocks(DoubleEnclave e, int cpu) {
    if (e.cfs[cpu]) busy(e, cpu);
  }

  /**
   * The agent of {@code cpu} was woken and runs: it displaces the ghOSt task running there (an
   * agent always preempts), and it is picked boosted if a CFS task is runnable.
   */
  static void agentRuns(DoubleEnclave e, int cpu) {
    preemptRunning(e, cpu);
    DoubleAgent a = e.agents[cpu];
    if (a != null) boost(e, a, e.cfs[cpu]);
  }

  private static void busy(DoubleEnclave e, int cpu) {
    DoubleAgent a = e.agents[cpu];
    if (a == null || (e.words.region().flags(a.word) & StatusFlags.CPU_AVAIL) == 0) return;
    setAvail(e, a, false);
    if (e.deliversCpuAvailability())
      DoubleMessages.cpuMessage(e, cpu, MessageType.CPU_BUSY, new CpuEvent(cpu));
  }

  private static void preemptRunning(DoubleEnclave e, int cpu) {
    long gtid = e.running[cpu];
    DoubleTask t = gtid == 0 ? null : e.tasks.get(gtid);
    if (t == null) return;
    e.offCpu(t);
    DoubleMessages.taskMessage(
        e,
        t,
        MessageType.TASK_PREEMPT,
        seq -> new TaskPreempt(gtid, t.runtime, e.cpuSeqnum, 0, cpu, false, false));
  }

  private static void boost(DoubleEnclave e, DoubleAgent a, boolean on) {
    int f = e.words.region().flags(a.word);
    e.words.setFlags(a.word, on ? f | StatusFlags.BOOST_PRIO : f & ~StatusFlags.BOOST_PRIO);
  }

  private static void setAvail(DoubleEnclave e, DoubleAgent a, boolean on) {
    int f = e.words.region().flags(a.word);
    e.words.setFlags(a.word, on ? f | StatusFlags.CPU_AVAIL : f & ~StatusFlags.CPU_AVAIL);
  }
}
