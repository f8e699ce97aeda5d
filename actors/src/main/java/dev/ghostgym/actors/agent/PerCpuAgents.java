package dev.ghostgym.actors.agent;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.MessageView;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.actors.policy.DecisionRequest.Kind;
import dev.ghostgym.actors.policy.DecisionRequest.Trigger;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TaskView;
import dev.ghostgym.port.KernelPort;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;
import org.jctools.maps.NonBlockingHashMapLong;
import org.jctools.queues.MpscArrayQueue;

/**
 * Per-CPU agents in the shape of ghOSt's {@code schedulers/fifo/per_cpu} (one queue per CPU woken
 * on that CPU, local commits, a yield with RTLA_ON_IDLE under BOOST_PRIO), with the three choices
 * FIFO hard-codes left to a policy: the CPU of a new task (PLACE), its position in that CPU's run
 * queue (INSERT, the seed prototype's action) and which queued task runs next (PICK). Choices with
 * a single possible answer are not asked. With the {@code fifo} policy it behaves exactly as the
 * hand-written FIFO agent the tests keep as a reference ({@code PerCpuFifoAgents}, same trace).
 * Every decision of a pass is taken at its end (see {@link #finish}), so a policy may answer {@link
 * Policy#DEFER} and the pass resumes there later.
 *
 * <p>Passes of different CPUs may run at the same time ({@link #concurrentPasses()}: the live
 * runner's agent threads take no lock). Each CPU's state (run queue, current task, work, port) is
 * touched only by its own agent; the task table is a lock-free map; a task placed on another CPU is
 * handed to that CPU's agent through its lock-free inbox, and that agent asks where it goes in its
 * run queue (INSERT) at the start of its next pass, before its own messages, so the queue order is
 * the one a direct insert would give. (ghOSt's {@code per_cpu} FIFO enqueues into the other CPU's
 * run queue under that queue's mutex; the hand-off keeps the order without any lock.) Other CPUs'
 * current task and queue length, which policies see in {@code cpus}, are read without
 * synchronisation: a snapshot, as the C++ agents' reads of another CPU's state are.
 */
public final class PerCpuAgents implements AgentEngine {
  private static final int QUEUE_ELEMS = 65536;
  private static final int INBOX = 65536; // as many as a queue holds messages

  private static final class Cpu {
    final int id;
    final RunQueue rq = new RunQueue();
    volatile AgentTask current; // read by other CPUs' decision snapshots
    AgentTask committing;
    int queue = -1;
    // Tasks made runnable by this activation's messages, placed and queued at its end, so that
    // every decision is taken at one resumable point (see finish).
    final ArrayDeque<Work> work = new ArrayDeque<>();
    final ArrayDeque<Work> spare = new ArrayDeque<>(); // finished Work records, reused
    // Tasks other CPUs' agents placed on this CPU (assoc done): queued at this agent's next pass.
    final MpscArrayQueue<AgentTask> inbox = new MpscArrayQueue<>(INBOX);
    boolean suspended;
    int aseq;
    KernelPort port; // the port of this CPU's pass in progress
    final MessageView msg = new MessageView(); // the message being handled, reused
    Decisions decisions;

    Cpu(int id) {
      this.id = id;
    }

    Work work(AgentTask task, Trigger trigger, int target) {
      Work w = spare.pollFirst();
      if (w == null) w = new Work();
      w.task = task;
      w.trigger = trigger;
      w.target = target;
      w.migrated = false;
      work.addLast(w);
      return w;
    }

    void doneWith(Work w) {
      work.pollFirst();
      w.task = null;
      spare.addLast(w);
    }
  }

  /** A task to place (target -1) and queue, and why; {@code migrated}: ping the target after. */
  private static final class Work {
    AgentTask task;
    Trigger trigger;
    int target;
    boolean migrated;
  }

  private final PolicyGuard guard;
  private final NonBlockingHashMapLong<AgentTask> tasks = new NonBlockingHashMapLong<>();
  private final Hints hints = new Hints();
  private Cpu[] cpus = new Cpu[0];
  private int[] enclave = new int[0];

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

  /** True: each CPU's pass touches only its own CPU's state and lock-free shared structures. */
  @Override
  public boolean concurrentPasses() {
    return true;
  }

  @Override
  public void attach(KernelPort setup) {
    enclave = setup.enclaveCpus();
    cpus = new Cpu[setup.cpus()];
    Decisions.CpuState state =
        new Decisions.CpuState() {
          @Override
          public TaskView current(int cpu) {
            return cpus[cpu].current;
          }

          @Override
          public long runningSince(int cpu) {
            AgentTask t = cpus[cpu].current;
            return t == null ? -1 : t.sliceStart;
          }

          @Override
          public int queueLength(int cpu) {
            return cpus[cpu].rq.size();
          }
        };
    for (int id : enclave) {
      Cpu c = new Cpu(id);
      cpus[id] = c;
      c.decisions = new Decisions(guard, enclave, state);
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
    Cpu c = cpus[cpu];
    c.port = p;
    if (c.suspended) {
      // Resumed after a deferred decision: the messages were drained already and the table read;
      // finish the pass.
      c.suspended = false;
      finish(c);
      return;
    }
    AgentTask handed;
    while ((handed = c.inbox.relaxedPoll()) != null) c.work(handed, handed.handOff, cpu);
    hints.refresh(p, tasks, t -> {});
    settleCommit(c);
    c.aseq = p.agentBarrier(cpu);
    while (p.pollInto(c.queue, c.msg)) dispatch(c, c.msg);
    finish(c);
  }

  /**
   * The decisions of this pass, in order: place and queue the tasks its messages made runnable,
   * then pick and commit (or yield). A deferred answer suspends the pass right there; when it
   * resumes, work already done is not redone, so the same question is asked again. A task placed on
   * another CPU goes to that CPU's inbox; its agent queues it.
   */
  private void finish(Cpu c) {
    KernelPort p = c.port;
    int cpu = c.id;
    while (!c.work.isEmpty()) {
      Work w = c.work.peekFirst();
      AgentTask t = w.task;
      if (t.state() != AgentTask.State.RUNNABLE || tasks.get(t.gtid) != t) {
        c.doneWith(w); // blocked, queued or gone later in the same drain
        continue;
      }
      if (w.target >= 0 && !t.allowedOn(w.target)) w.target = -1; // its affinity changed
      if (w.target < 0) {
        int target = c.decisions.ask(p, Kind.PLACE, w.trigger, -1, t, List.of());
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
      if (w.target != cpu) {
        // Its messages now go to the target's queue: that agent owns it from here on.
        t.handOff = w.trigger;
        Cpu tc = cpus[w.target];
        c.doneWith(w);
        if (!tc.inbox.offer(t))
          throw new IllegalStateException("the inbox of CPU " + tc.id + "'s agent is full");
        p.ping(tc.id);
        continue;
      }
      int pos =
          c.rq.isEmpty() && !askSingleChoice
              ? 0
              : c.decisions.ask(p, Kind.INSERT, w.trigger, cpu, t, c.rq);
      if (pos == Policy.DEFER) {
        suspend(c);
        return;
      }
      t.to(AgentTask.State.QUEUED);
      c.rq.insert(pos, t);
      boolean migrated = w.migrated;
      c.doneWith(w);
      if (migrated) p.ping(cpu);
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
              : c.decisions.ask(p, Kind.PICK, Trigger.CPU_IDLE, cpu, null, c.rq);
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
    c.port.suspend();
  }

  private void settleCommit(Cpu c) {
    AgentTask t = c.committing;
    if (t == null) return;
    c.committing = null;
    KernelPort port = c.port;
    if (port.txnState(c.id) == TxnState.COMPLETE.code()) {
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
      c.work(t, Trigger.TXN_FAILED, c.id);
    }
  }

  private void dispatch(Cpu c, MessageView m) {
    switch (m.type()) {
      case TASK_NEW -> taskNew(c, m);
      case TASK_WAKEUP -> taskRunnable(c, m);
      case TASK_BLOCKED -> taskBlocked(m, m.runtime());
      case TASK_PREEMPT -> taskPreempted(c, m);
      case TASK_YIELD -> taskYield(c, m);
      case TASK_DEPARTED -> taskDeparted(c, m);
      case TASK_DEAD -> taskDead(c, m);
      case TASK_SWITCHTO -> taskBlocked(m, -1);
      case TASK_AFFINITY_CHANGED -> affinityChanged(c, m);
      default -> seen(m);
    }
  }

  private void taskNew(Cpu c, MessageView m) {
    KernelPort port = c.port;
    AgentTask t = tasks.get(m.gtid());
    if (t == null) {
      t = new AgentTask(m.gtid(), m.seqnum(), port.oracle());
      tasks.put(t.gtid, t);
    } else {
      removeEverywhere(t);
      t.to(AgentTask.State.BLOCKED);
      t.cpu = -1;
    }
    t.seqnum = m.seqnum();
    hints.read(c.port, t);
    t.nice = m.nice();
    t.attained = m.runtime();
    if (m.runnable()) {
      t.to(AgentTask.State.RUNNABLE);
      t.runnableSince = port.now();
      c.work(t, Trigger.TASK_NEW, -1);
    }
  }

  private void taskRunnable(Cpu c, MessageView m) {
    AgentTask t = seen(m);
    if (t == null) return;
    t.to(AgentTask.State.RUNNABLE);
    t.runnableSince = c.port.now();
    t.prioBoost = !m.deferrable();
    // A task that never had a CPU is placed like a new one (the prototype's MigrateWithHint).
    c.work(t, t.cpu < 0 ? Trigger.TASK_WAKEUP_FIRST : Trigger.TASK_WAKEUP, t.cpu);
  }

  private void taskBlocked(MessageView m, long runtime) {
    AgentTask t = seen(m);
    if (t == null) return;
    if (runtime >= 0) t.attained = runtime;
    clearCurrent(t);
    // Normally it was on the CPU; a task re-announced by discovery while it ran may be queued here.
    if (t.state() == AgentTask.State.QUEUED && t.cpu >= 0) cpus[t.cpu].rq.removeTask(t);
    t.to(AgentTask.State.BLOCKED);
  }

  private void taskPreempted(Cpu c, MessageView m) {
    AgentTask t = seen(m);
    if (t == null || t.cpu < 0) return;
    t.attained = m.runtime();
    clearCurrent(t);
    t.preempted = true;
    t.prioBoost = true;
    t.preemptions++;
    if (t.state() != AgentTask.State.QUEUED) {
      t.to(AgentTask.State.RUNNABLE);
      t.runnableSince = c.port.now();
      c.work(t, Trigger.TASK_PREEMPT, t.cpu);
    }
  }

  private void taskYield(Cpu c, MessageView m) {
    AgentTask t = seen(m);
    if (t == null || t.cpu < 0) return;
    t.attained = m.runtime();
    clearCurrent(t);
    t.to(AgentTask.State.RUNNABLE);
    t.runnableSince = c.port.now();
    c.work(t, Trigger.TASK_YIELD, t.cpu);
  }

  /**
   * ghost-userspace's CFS agent ({@code TaskAffinityChanged}): read the mask; a task queued on a
   * CPU it may no longer use is moved (a running one is preempted by the kernel and placed then).
   * The message comes to the queue of the CPU the task is associated with, so the run queue it
   * leaves is this agent's own.
   */
  private void affinityChanged(Cpu c, MessageView m) {
    AgentTask t = seen(m);
    if (t == null) return;
    t.affinity = c.port.taskAffinity(t.gtid);
    if (t.state() == AgentTask.State.QUEUED && t.cpu >= 0 && !t.allowedOn(t.cpu)) {
      cpus[t.cpu].rq.removeTask(t);
      t.to(AgentTask.State.RUNNABLE);
      c.work(t, Trigger.TASK_PREEMPT, -1);
    }
  }

  private void taskDeparted(Cpu c, MessageView m) {
    AgentTask t = seen(m);
    if (t != null) removeEverywhere(t);
    tasks.remove(m.gtid());
    c.port.freeStatusWord(m.gtid());
    if (m.fromSwitchto()) c.port.ping(m.cpu());
  }

  private void taskDead(Cpu c, MessageView m) {
    AgentTask t = seen(m);
    if (t != null) removeEverywhere(t);
    tasks.remove(m.gtid());
    c.port.freeStatusWord(m.gtid());
  }

  private AgentTask seen(MessageView m) {
    if (!m.type().isTaskMessage()) return null;
    AgentTask t = tasks.get(m.gtid());
    if (t != null) t.seqnum = m.seqnum();
    return t;
  }

  private void clearCurrent(AgentTask t) {
    if (t.cpu >= 0 && cpus[t.cpu].current == t) cpus[t.cpu].current = null;
  }

  // Touches another CPU's state only for a task re-announced by discovery (TASK_NEW of a known
  // task), which the live runner sees before any pass runs, or for one whose messages its own queue
  // carries.
  private void removeEverywhere(AgentTask t) {
    if (t.cpu < 0) return;
    Cpu c = cpus[t.cpu];
    if (c.current == t) c.current = null;
    if (c.committing == t) c.committing = null;
    if (t.state() == AgentTask.State.QUEUED) c.rq.removeTask(t);
  }
}
