package dev.ghostgym.actors.agent;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TaskDeparted;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskWakeup;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.port.LongMap;
import java.util.ArrayDeque;

/**
 * ghOSt's per-CPU FIFO agent ({@code schedulers/fifo/per_cpu}, docs/KERNEL-MODEL.md section 2.12):
 * one queue per CPU woken on that CPU, the first CPU's queue as default queue, round-robin CPU
 * choice on TASK_NEW, a deque per CPU with prio-boosted tasks (preempted, non-deferrable wakeups)
 * at the front, no time slicing, and a yield with RTLA_ON_IDLE when CFS wants the CPU (BOOST_PRIO).
 *
 * <p>A test fixture: written without policies, it is the reference whose trace {@link PerCpuAgents}
 * with the {@code fifo} policy must reproduce (see {@code PolicyBehaviourTest}).
 */
public final class PerCpuFifoAgents implements AgentHost {
  private static final int QUEUE_ELEMS = 65536;

  private static final class Cpu {
    final int id;
    final ArrayDeque<AgentTask> rq = new ArrayDeque<>();
    AgentTask current;
    AgentTask committing; // committed last iteration; its outcome is read on the next one
    int queue = -1;

    Cpu(int id) {
      this.id = id;
    }
  }

  private final LongMap<AgentTask> tasks = new LongMap<>();
  private Cpu[] cpus = new Cpu[0];
  private int[] enclave = new int[0];
  private int rr;

  @Override
  public void attach(KernelPort port) {
    enclave = port.enclaveCpus();
    cpus = new Cpu[port.cpus()];
    for (int id : enclave) {
      Cpu c = new Cpu(id);
      cpus[id] = c;
      c.queue = port.createQueue(QUEUE_ELEMS);
      port.configQueueWakeup(c.queue, id);
      if (id == enclave[0]) port.setDefaultQueue(c.queue);
      port.becomeAgent(id, c.queue);
    }
    // A re-attached agent (rebootless upgrade) learns the existing tasks again.
    port.discoverTasks();
  }

  @Override
  public void activate(int cpu, KernelPort port) {
    Cpu c = cpus[cpu];
    settleCommit(c, port);
    int aseq = port.agentBarrier(cpu);
    Message m;
    while ((m = port.poll(c.queue)) != null) dispatch(m, port);
    if ((port.agentFlags(cpu) & StatusFlags.BOOST_PRIO) != 0) {
      // CFS wants this CPU: give it up, and get it back as soon as it would go idle.
      boolean work = c.current != null || !c.rq.isEmpty();
      port.yield(aseq, work ? RunFlags.RTLA_ON_IDLE : 0);
      return;
    }
    AgentTask next = c.current;
    if (next == null) {
      next = c.rq.pollFirst();
      if (next == null) {
        port.yield(aseq, 0);
        return;
      }
      next.to(AgentTask.State.RUNNABLE);
    }
    port.openTxn(cpu, next.gtid, aseq, next.seqnum, 0, CommitFlags.COMMIT_AT_TXN_COMMIT);
    port.commit(cpu);
    c.committing = next;
  }

  /** Reads the outcome of last iteration's commit, as the agent does when the ioctl returns. */
  private void settleCommit(Cpu c, KernelPort port) {
    AgentTask t = c.committing;
    if (t == null) return;
    c.committing = null;
    if (port.txnState(c.id) == TxnState.COMPLETE.code()) {
      c.current = t;
      t.to(AgentTask.State.ON_CPU);
      t.preempted = false;
      t.prioBoost = false;
    } else {
      if (c.current == t) c.current = null;
      if (t.state() == AgentTask.State.BLOCKED || !tasks.containsKey(t.gtid)) return;
      t.prioBoost = true;
      if (t.state() == AgentTask.State.ON_CPU)
        t.to(AgentTask.State.RUNNABLE); // else dequeued: Runnable
      enqueue(c, t);
    }
  }

  private void dispatch(Message m, KernelPort port) {
    switch (m.type()) {
      case TASK_NEW -> taskNew(m, (TaskNew) m.payload(), port);
      case TASK_WAKEUP -> taskRunnable(m, (TaskWakeup) m.payload(), port);
      case TASK_BLOCKED -> taskBlocked(m);
      case TASK_PREEMPT -> taskPreempted(m);
      case TASK_YIELD -> taskYield(m);
      case TASK_DEPARTED -> taskDeparted(m, (TaskDeparted) m.payload(), port);
      case TASK_DEAD -> taskDead(m, port);
      case TASK_SWITCHTO -> taskBlocked(m);
      default -> seen(m); // CPU_TICK and the rest carry nothing this policy uses
    }
  }

  private void taskNew(Message m, TaskNew p, KernelPort port) {
    AgentTask t = tasks.get(p.gtid());
    if (t == null) {
      t = new AgentTask(p.gtid(), m.seqnum());
      tasks.put(t.gtid, t);
    } else {
      // Re-announced by discovery: forget where we had it and start over.
      removeEverywhere(t);
      t.to(AgentTask.State.BLOCKED);
      t.cpu = -1;
    }
    t.seqnum = m.seqnum();
    if (p.runnable()) {
      t.to(AgentTask.State.RUNNABLE);
      migrate(t, nextCpu(), port);
    }
  }

  private void taskRunnable(Message m, TaskWakeup p, KernelPort port) {
    AgentTask t = seen(m);
    if (t == null) return;
    t.to(AgentTask.State.RUNNABLE);
    t.prioBoost = !p.deferrable();
    if (t.cpu < 0) migrate(t, nextCpu(), port);
    else enqueue(cpus[t.cpu], t);
  }

  private void taskBlocked(Message m) {
    AgentTask t = seen(m);
    if (t == null) return;
    clearCurrent(t);
    // Normally it was on the CPU; a task re-announced by discovery while it ran may be queued here.
    if (t.state() == AgentTask.State.QUEUED && t.cpu >= 0) cpus[t.cpu].rq.remove(t);
    t.to(AgentTask.State.BLOCKED);
  }

  private void taskPreempted(Message m) {
    AgentTask t = seen(m);
    if (t == null || t.cpu < 0) return;
    clearCurrent(t);
    t.preempted = true;
    t.prioBoost = true;
    if (t.state() != AgentTask.State.QUEUED) {
      t.to(AgentTask.State.RUNNABLE);
      enqueue(cpus[t.cpu], t);
    }
  }

  private void taskYield(Message m) {
    AgentTask t = seen(m);
    if (t == null || t.cpu < 0) return;
    clearCurrent(t);
    t.to(AgentTask.State.RUNNABLE);
    enqueue(cpus[t.cpu], t);
  }

  private void taskDeparted(Message m, TaskDeparted p, KernelPort port) {
    AgentTask t = seen(m);
    if (t != null) removeEverywhere(t);
    tasks.remove(p.gtid());
    port.freeStatusWord(p.gtid());
    if (p.fromSwitchto()) port.ping(p.cpu());
  }

  private void taskDead(Message m, KernelPort port) {
    AgentTask t = seen(m);
    if (t != null) removeEverywhere(t);
    tasks.remove(m.gtid());
    port.freeStatusWord(m.gtid());
  }

  /** Every handled message advances the task's seqnum. */
  private AgentTask seen(Message m) {
    if (!m.type().isTaskMessage()) return null;
    AgentTask t = tasks.get(m.gtid());
    if (t != null) t.seqnum = m.seqnum();
    return t;
  }

  private void migrate(AgentTask t, int cpu, KernelPort port) {
    Cpu c = cpus[cpu];
    int r = port.assocQueue(t.gtid, c.queue, t.seqnum);
    if (r < 0) {
      throw new IllegalStateException(
          "assoc queue of task " + t.gtid + " to CPU " + cpu + " failed: errno " + -r);
    }
    t.cpu = cpu;
    enqueue(c, t);
    port.ping(cpu);
  }

  private int nextCpu() {
    int cpu = enclave[rr % enclave.length];
    rr++;
    return cpu;
  }

  private static void enqueue(Cpu c, AgentTask t) {
    if (t.state() == AgentTask.State.QUEUED) return;
    t.to(AgentTask.State.QUEUED);
    if (t.prioBoost) c.rq.addFirst(t);
    else c.rq.addLast(t);
  }

  private void clearCurrent(AgentTask t) {
    if (t.cpu >= 0 && cpus[t.cpu].current == t) cpus[t.cpu].current = null;
  }

  private void removeEverywhere(AgentTask t) {
    if (t.cpu < 0) return;
    Cpu c = cpus[t.cpu];
    if (c.current == t) c.current = null;
    if (c.committing == t) c.committing = null;
    if (t.state() == AgentTask.State.QUEUED) c.rq.remove(t);
  }
}
