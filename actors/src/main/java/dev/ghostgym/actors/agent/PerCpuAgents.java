package dev.ghostgym.actors.agent;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TaskBlocked;
import dev.ghostgym.abi.TaskDeparted;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskPreempt;
import dev.ghostgym.abi.TaskWakeup;
import dev.ghostgym.abi.TaskYield;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.actors.policy.DecisionRequest.Kind;
import dev.ghostgym.actors.policy.DecisionRequest.Trigger;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TaskView;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.port.LongMap;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;

/**
 * Per-CPU agents in the shape of ghOSt's {@code schedulers/fifo/per_cpu} (one queue per CPU woken
 * on that CPU, local commits, a yield with RTLA_ON_IDLE under BOOST_PRIO), with the three choices
 * FIFO hard-codes left to a policy: the CPU of a new task (PLACE), its position in that CPU's run
 * queue (INSERT, the seed prototype's action) and which queued task runs next (PICK). Choices with
 * a single possible answer are not asked. With the {@code fifo} policy it behaves exactly as the
 * hand-written FIFO agent the tests keep as a reference ({@code PerCpuFifoAgents}, same trace).
 * Every decision of a pass is taken at its end (see {@link #finish}), so a policy may answer {@link
 * Policy#DEFER} and the pass resumes there later.
 */
public final class PerCpuAgents implements AgentEngine {
  private static final int QUEUE_ELEMS = 65536;

  private static final class Cpu {
    final RunQueue rq = new RunQueue();
    AgentTask current;
    AgentTask committing;
    int queue = -1;
    // Tasks made runnable by this activation's messages, placed and queued at its end, so that
    // every decision is taken at one resumable point (see finish).
    final ArrayDeque<Work> work = new ArrayDeque<>();
    boolean suspended;
    int aseq;
  }

  /** A task to place (target -1) and queue, and why; {@code migrated}: ping the target after. */
  private static final class Work {
    final AgentTask task;
    final Trigger trigger;
    int target;
    boolean migrated;

    Work(AgentTask task, Trigger trigger, int target) {
      this.task = task;
      this.trigger = trigger;
      this.target = target;
    }
  }

  private Cpu self;

  private final PolicyGuard guard;
  private final LongMap<AgentTask> tasks = new LongMap<>();
  private final Hints hints = new Hints();
  private Cpu[] cpus = new Cpu[0];
  private int[] enclave = new int[0];
  private Decisions decisions;
  private KernelPort port;

  private final boolean askSingleChoice;

  public PerCpuAgents(PolicyGuard guard) {
    this(guard, false);
  }

  /**
   * @param askSingleChoice ask INSERT even when the run queue is empty (one possible answer), as
   *     the seed prototype's agent did for every actionable event
   */
  public PerCpuAgents(PolicyGuard guard, boolean askSingleChoice) {
    this.guard = guard;
    this.askSingleChoice = askSingleChoice;
  }

  /** CPU {@code cpu}'s run queue, head first (read-only view for observers). */
  public List<? extends TaskView> runQueue(int cpu) {
    return Collections.unmodifiableList(cpus[cpu].rq);
  }

  /** The agents' record of a task, or null (read it, don't change it). */
  public AgentTask task(long gtid) {
    return tasks.get(gtid);
  }

  @Override
  public PolicyGuard guard() {
    return guard;
  }

  /** -1: each CPU's agent schedules its own CPU. */
  @Override
  public int globalCpu() {
    return -1;
  }

  @Override
  public void attach(KernelPort setup) {
    enclave = setup.enclaveCpus();
    cpus = new Cpu[setup.cpus()];
    decisions =
        new Decisions(
            guard,
            enclave,
            new Decisions.CpuState() {
              @Override
              public TaskView current(int cpu) {
                return cpus[cpu].current;
              }

              @Override
              public long runningSince(int cpu) {
                return cpus[cpu].current == null ? -1 : cpus[cpu].current.sliceStart;
              }

              @Override
              public int queueLength(int cpu) {
                return cpus[cpu].rq.size();
              }
            });
    for (int id : enclave) {
      Cpu c = new Cpu();
      cpus[id] = c;
      c.queue = setup.createQueue(QUEUE_ELEMS);
      setup.configQueueWakeup(c.queue, id);
      if (id == enclave[0]) setup.setDefaultQueue(c.queue);
      setup.becomeAgent(id, c.queue);
    }
    setup.discoverTasks();
  }

  /** {@inheritDoc} TASK_NEW for a known task re-places it. */
  @Override
  public void reattach(int cpu, KernelPort setup) {
    setup.becomeAgent(cpu, cpus[cpu].queue);
    setup.discoverTasks();
  }

  @Override
  public void activate(int cpu, KernelPort p) {
    port = p;
    Cpu c = cpus[cpu];
    self = c;
    if (c.suspended) {
      // Resumed after a deferred decision: the messages were drained already and the table read;
      // finish the pass.
      c.suspended = false;
      finish(cpu, c);
      return;
    }
    hints.refresh(p, tasks, t -> {});
    settleCommit(cpu, c);
    c.aseq = p.agentBarrier(cpu);
    Message m;
    while ((m = p.poll(c.queue)) != null) dispatch(m);
    finish(cpu, c);
  }

  /**
   * The decisions of this pass, in order: place and queue the tasks its messages made runnable,
   * then pick and commit (or yield). A deferred answer suspends the pass right there; when it
   * resumes, work already done is not redone, so the same question is asked again.
   */
  private void finish(int cpu, Cpu c) {
    KernelPort p = port;
    while (!c.work.isEmpty()) {
      Work w = c.work.peekFirst();
      AgentTask t = w.task;
      if (t.state() != AgentTask.State.RUNNABLE || tasks.get(t.gtid) != t) {
        c.work.pollFirst(); // blocked, queued or gone later in the same drain
        continue;
      }
      if (w.target >= 0 && !t.allowedOn(w.target)) w.target = -1; // its affinity changed
      if (w.target < 0) {
        int target = decisions.ask(p, Kind.PLACE, w.trigger, -1, t, List.of());
        if (target == Policy.DEFER) {
          suspend(c);
          return;
        }
        target = t.allowedFrom(target, enclave); // the kernel would not stop it: the agent does
        int r = p.assocQueue(t.gtid, cpus[target].queue, t.seqnum);
        if (r < 0) {
          throw new IllegalStateException(
              "assoc queue of task " + t.gtid + " to CPU " + target + " failed: errno " + -r);
        }
        t.cpu = target;
        w.target = target;
        w.migrated = true;
      }
      Cpu tc = cpus[w.target];
      int pos =
          tc.rq.isEmpty() && !askSingleChoice
              ? 0
              : decisions.ask(p, Kind.INSERT, w.trigger, w.target, t, tc.rq);
      if (pos == Policy.DEFER) {
        suspend(c);
        return;
      }
      t.to(AgentTask.State.QUEUED);
      tc.rq.insert(pos, t);
      c.work.pollFirst();
      if (w.migrated) p.ping(w.target);
    }
    if ((p.agentFlags(cpu) & StatusFlags.BOOST_PRIO) != 0) {
      // CFS wants this CPU: give it up, and get it back as soon as it would go idle.
      boolean busy = c.current != null || !c.rq.isEmpty();
      p.yield(c.aseq, busy ? RunFlags.RTLA_ON_IDLE : 0);
      return;
    }
    AgentTask next = c.current;
    if (next == null) {
      int pick =
          c.rq.size() <= 1
              ? c.rq.size() - 1
              : decisions.ask(p, Kind.PICK, Trigger.CPU_IDLE, cpu, null, c.rq);
      if (pick == Policy.DEFER) {
        suspend(c);
        return;
      }
      if (pick < 0) {
        p.yield(c.aseq, 0);
        return;
      }
      next = c.rq.take(pick);
      next.to(AgentTask.State.RUNNABLE);
    }
    p.openTxn(cpu, next.gtid, c.aseq, next.seqnum, 0, CommitFlags.COMMIT_AT_TXN_COMMIT);
    p.commit(cpu);
    c.committing = next;
  }

  private void suspend(Cpu c) {
    c.suspended = true;
    port.suspend();
  }

  private void settleCommit(int cpu, Cpu c) {
    AgentTask t = c.committing;
    if (t == null) return;
    c.committing = null;
    if (port.txnState(cpu) == TxnState.COMPLETE.code()) {
      c.current = t;
      t.to(AgentTask.State.ON_CPU);
      t.preempted = false;
      t.prioBoost = false;
      t.sliceStart = port.now();
    } else {
      if (c.current == t) c.current = null;
      if (t.state() == AgentTask.State.BLOCKED || !tasks.containsKey(t.gtid)) return;
      t.prioBoost = true;
      if (t.state() == AgentTask.State.ON_CPU)
        t.to(AgentTask.State.RUNNABLE); // else dequeued: Runnable
      c.work.addLast(new Work(t, Trigger.TXN_FAILED, cpu));
    }
  }

  private void dispatch(Message m) {
    switch (m.type()) {
      case TASK_NEW -> taskNew(m, (TaskNew) m.payload());
      case TASK_WAKEUP -> taskRunnable(m, (TaskWakeup) m.payload());
      case TASK_BLOCKED -> taskBlocked(m, ((TaskBlocked) m.payload()).runtime());
      case TASK_PREEMPT -> taskPreempted(m, (TaskPreempt) m.payload());
      case TASK_YIELD -> taskYield(m, (TaskYield) m.payload());
      case TASK_DEPARTED -> taskDeparted(m, (TaskDeparted) m.payload());
      case TASK_DEAD -> taskDead(m);
      case TASK_SWITCHTO -> taskBlocked(m, -1);
      case TASK_AFFINITY_CHANGED -> affinityChanged(m);
      default -> seen(m);
    }
  }

  private void taskNew(Message m, TaskNew p) {
    AgentTask t = tasks.get(p.gtid());
    if (t == null) {
      t = new AgentTask(p.gtid(), m.seqnum(), port.oracle());
      tasks.put(t.gtid, t);
    } else {
      removeEverywhere(t);
      t.to(AgentTask.State.BLOCKED);
      t.cpu = -1;
    }
    t.seqnum = m.seqnum();
    hints.read(port, t);
    t.nice = p.nice();
    t.attained = p.runtime();
    if (p.runnable()) {
      t.to(AgentTask.State.RUNNABLE);
      t.runnableSince = port.now();
      self.work.addLast(new Work(t, Trigger.TASK_NEW, -1));
    }
  }

  private void taskRunnable(Message m, TaskWakeup p) {
    AgentTask t = seen(m);
    if (t == null) return;
    t.to(AgentTask.State.RUNNABLE);
    t.runnableSince = port.now();
    t.prioBoost = !p.deferrable();
    // A task that never had a CPU is placed like a new one (the prototype's MigrateWithHint).
    self.work.addLast(
        new Work(t, t.cpu < 0 ? Trigger.TASK_WAKEUP_FIRST : Trigger.TASK_WAKEUP, t.cpu));
  }

  private void taskBlocked(Message m, long runtime) {
    AgentTask t = seen(m);
    if (t == null) return;
    if (runtime >= 0) t.attained = runtime;
    clearCurrent(t);
    // Normally it was on the CPU; a task re-announced by discovery while it ran may be queued here.
    if (t.state() == AgentTask.State.QUEUED && t.cpu >= 0) cpus[t.cpu].rq.removeTask(t);
    t.to(AgentTask.State.BLOCKED);
  }

  private void taskPreempted(Message m, TaskPreempt p) {
    AgentTask t = seen(m);
    if (t == null || t.cpu < 0) return;
    t.attained = p.runtime();
    clearCurrent(t);
    t.preempted = true;
    t.prioBoost = true;
    t.preemptions++;
    if (t.state() != AgentTask.State.QUEUED) {
      t.to(AgentTask.State.RUNNABLE);
      t.runnableSince = port.now();
      self.work.addLast(new Work(t, Trigger.TASK_PREEMPT, t.cpu));
    }
  }

  private void taskYield(Message m, TaskYield p) {
    AgentTask t = seen(m);
    if (t == null || t.cpu < 0) return;
    t.attained = p.runtime();
    clearCurrent(t);
    t.to(AgentTask.State.RUNNABLE);
    t.runnableSince = port.now();
    self.work.addLast(new Work(t, Trigger.TASK_YIELD, t.cpu));
  }

  /**
   * ghost-userspace's CFS agent ({@code TaskAffinityChanged}): read the mask; a task queued on a
   * CPU it may no longer use is moved (a running one is preempted by the kernel and placed then).
   */
  private void affinityChanged(Message m) {
    AgentTask t = seen(m);
    if (t == null) return;
    t.affinity = port.taskAffinity(t.gtid);
    if (t.state() == AgentTask.State.QUEUED && t.cpu >= 0 && !t.allowedOn(t.cpu)) {
      cpus[t.cpu].rq.removeTask(t);
      t.to(AgentTask.State.RUNNABLE);
      self.work.addLast(new Work(t, Trigger.TASK_PREEMPT, -1));
    }
  }

  private void taskDeparted(Message m, TaskDeparted p) {
    AgentTask t = seen(m);
    if (t != null) removeEverywhere(t);
    tasks.remove(p.gtid());
    port.freeStatusWord(p.gtid());
    if (p.fromSwitchto()) port.ping(p.cpu());
  }

  private void taskDead(Message m) {
    AgentTask t = seen(m);
    if (t != null) removeEverywhere(t);
    tasks.remove(m.gtid());
    port.freeStatusWord(m.gtid());
  }

  private AgentTask seen(Message m) {
    if (!m.type().isTaskMessage()) return null;
    AgentTask t = tasks.get(m.gtid());
    if (t != null) t.seqnum = m.seqnum();
    return t;
  }

  private void clearCurrent(AgentTask t) {
    if (t.cpu >= 0 && cpus[t.cpu].current == t) cpus[t.cpu].current = null;
  }

  private void removeEverywhere(AgentTask t) {
    if (t.cpu < 0) return;
    Cpu c = cpus[t.cpu];
    if (c.current == t) c.current = null;
    if (c.committing == t) c.committing = null;
    if (t.state() == AgentTask.State.QUEUED) c.rq.removeTask(t);
  }
}
