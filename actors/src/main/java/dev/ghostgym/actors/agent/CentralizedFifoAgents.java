package dev.ghostgym.actors.agent;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.sim.port.AgentHost;
import dev.ghostgym.sim.port.KernelPort;
import java.util.ArrayDeque;
import dev.ghostgym.sim.LongMap;

/**
 * ghOSt's centralized FIFO ({@code schedulers/fifo/centralized}, ghost-model.md section 2.7): one
 * queue with no wakeup, polled by a global agent that spins on its own CPU and commits runnable
 * tasks to idle CPUs as one group commit; the satellite agents sit in RUN forever. With the paper's
 * overheads the global agent spins on the first enclave CPU, which then runs no task; with ideal
 * overheads it sits on the machine's extra CPU.
 */
public final class CentralizedFifoAgents implements AgentHost {
  private final LongMap<AgentTask> tasks = new LongMap<>();
  private final ArrayDeque<AgentTask> rq = new ArrayDeque<>();
  private AgentTask[] running = new AgentTask[0];    // per CPU: the task we put there
  private AgentTask[] committing = new AgentTask[0]; // per CPU: committed, outcome not read yet
  private int[] targets = new int[0];
  private int[] enclave = new int[0];
  private int global = -1;
  private int queue = -1;

  @Override public void attach(KernelPort port) {
    enclave = port.enclaveCpus();
    int n = port.cpus();
    running = new AgentTask[n];
    committing = new AgentTask[n];
    targets = new int[n];
    global = n > enclave.length ? n - 1 : enclave[0];
    queue = port.createQueue(65536);
    port.setDefaultQueue(queue);
    port.becomeAgent(global, queue);
    for (int id : enclave) if (id != global) port.becomeAgent(id, queue);
    port.discoverTasks();
  }

  /** The CPU the global agent spins on. */
  public int globalCpu() { return global; }

  @Override public void activate(int cpu, KernelPort port) {
    int aseq = port.agentBarrier(cpu);
    if (cpu != global) {
      port.yield(aseq, 0); // a satellite: it only exists so that its CPU can run ghOSt tasks
      return;
    }
    settleCommits(port);
    Message m;
    while ((m = port.poll(queue)) != null) dispatch(m, port);
    int k = 0;
    int skipped = 0;
    for (int id : enclave) {
      if (id == global || running[id] != null || committing[id] != null || rq.isEmpty()) continue;
      if ((port.agentFlags(id) & StatusFlags.CPU_AVAIL) == 0) continue; // CFS has it
      AgentTask t = pickCommittable(port);
      if (t == null) break;
      port.openTxn(id, t.gtid, port.agentBarrier(id), t.seqnum, 0, CommitFlags.COMMIT_AT_TXN_COMMIT);
      committing[id] = t;
      t.cpu = id;
      targets[k++] = id;
    }
    if (k > 0) port.commit(java.util.Arrays.copyOf(targets, k));
  }

  /**
   * The oldest queued task that can be committed now: ghOSt's global agent skips a task that is
   * still on a CPU or has messages it has not seen yet, and retries it next round.
   */
  private AgentTask pickCommittable(KernelPort port) {
    int n = rq.size();
    for (int i = 0; i < n; i++) {
      AgentTask t = rq.pollFirst();
      boolean onCpu = (port.taskFlags(t.gtid) & StatusFlags.TASK_ONCPU) != 0;
      if (!onCpu && port.taskBarrier(t.gtid) == t.seqnum) {
        // keep the skipped ones in their original order ahead of the rest
        for (int j = 0; j < i; j++) rq.addFirst(rq.pollLast());
        t.to(AgentTask.State.RUNNABLE);
        return t;
      }
      rq.addLast(t);
    }
    return null;
  }

  private void settleCommits(KernelPort port) {
    for (int id : enclave) {
      AgentTask t = committing[id];
      if (t == null) continue;
      committing[id] = null;
      if (port.txnState(id) == TxnState.COMPLETE.code()) {
        running[id] = t;
        t.to(AgentTask.State.ON_CPU);
      } else if (tasks.containsKey(t.gtid) && t.state != AgentTask.State.BLOCKED) {
        t.to(AgentTask.State.QUEUED);
        rq.addFirst(t);
      }
    }
  }

  private void dispatch(Message m, KernelPort port) {
    if (!m.type().isTaskMessage()) return;
    AgentTask t = tasks.get(m.gtid());
    if (t != null) t.seqnum = m.seqnum();
    switch (m.type()) {
      case TASK_NEW -> {
        TaskNew p = (TaskNew) m.payload();
        if (t == null) {
          t = new AgentTask(p.gtid(), m.seqnum());
          tasks.put(t.gtid, t);
        } else {
          offCpu(t);
          rq.remove(t);
          t.state = AgentTask.State.BLOCKED;
        }
        if (p.runnable()) {
          t.to(AgentTask.State.RUNNABLE);
          queueBack(t);
        }
      }
      case TASK_WAKEUP -> {
        if (t == null) return;
        t.to(AgentTask.State.RUNNABLE);
        queueBack(t);
      }
      case TASK_BLOCKED, TASK_SWITCHTO -> {
        if (t == null) return;
        offCpu(t);
        t.state = AgentTask.State.BLOCKED;
      }
      case TASK_PREEMPT, TASK_YIELD -> {
        if (t == null || t.state == AgentTask.State.QUEUED) return;
        offCpu(t);
        t.to(AgentTask.State.RUNNABLE);
        t.to(AgentTask.State.QUEUED);
        // A preempted task keeps its place at the head; a yielding one goes to the back.
        if (m.type() == dev.ghostgym.abi.MessageType.TASK_PREEMPT) rq.addFirst(t); else rq.addLast(t);
      }
      case TASK_DEAD, TASK_DEPARTED -> {
        if (t != null) {
          offCpu(t);
          if (t.state == AgentTask.State.QUEUED) rq.remove(t);
        }
        tasks.remove(m.gtid());
        port.freeStatusWord(m.gtid());
      }
      default -> { }
    }
  }

  private void queueBack(AgentTask t) {
    t.to(AgentTask.State.QUEUED);
    rq.addLast(t);
  }

  private void offCpu(AgentTask t) {
    if (t.cpu >= 0 && running[t.cpu] == t) running[t.cpu] = null;
    if (t.cpu >= 0 && committing[t.cpu] == t) committing[t.cpu] = null;
  }
}
