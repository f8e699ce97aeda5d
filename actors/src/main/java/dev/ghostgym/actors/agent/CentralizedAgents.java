package dev.ghostgym.actors.agent;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TaskBlocked;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskPreempt;
import dev.ghostgym.abi.TaskYield;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.actors.policy.DecisionRequest.Kind;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TaskView;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.port.LongMap;
import java.util.Arrays;

/**
 * The centralized model (ghost-model.md section 2.7) with the choices left to a policy: one queue
 * with no wakeup, polled by a global agent that spins on its CPU and commits to idle CPUs as one
 * group commit. Where a task goes in the shared run queue (INSERT) and which task an idle CPU gets
 * (PICK) are the policy's; with a time slice, the agent arms a ghOSt timer per commit and, when it
 * fires, asks whether to preempt (SLICE); a policy that preempts on arrival (SRPT) is asked which
 * running task a new one displaces (PREEMPT). Preemption is a remote commit of another task (or of
 * nothing) to that CPU, after which the kernel sends TASK_PREEMPT for the displaced one. PICK,
 * SLICE and PREEMPT may be answered with {@link Policy#DEFER}; INSERT is asked while messages are
 * handled and must be answered at once.
 */
public final class CentralizedAgents implements AgentHost {
  private final PolicyGuard guard;
  private final LongMap<AgentTask> tasks = new LongMap<>();
  private final Hints hints = new Hints();
  private final RunQueue rq = new RunQueue();
  private AgentTask[] running = new AgentTask[0];
  private AgentTask[] committing = new AgentTask[0];
  private int[] enclave = new int[0];
  private int global = -1;
  private int queue = -1;
  private Decisions decisions;
  private KernelPort port;
  private AgentTask arrived; // the task that arrived this round with no CPU free (SRPT)
  private boolean suspended;
  private boolean[] preemptVerdict = new boolean[0]; // SLICE answered "preempt", pick pending

  public CentralizedAgents(PolicyGuard guard) {
    this.guard = guard;
  }

  public PolicyGuard guard() { return guard; }

  public int globalCpu() { return global; }

  @Override public void attach(KernelPort setup) {
    enclave = setup.enclaveCpus();
    int n = setup.cpus();
    running = new AgentTask[n];
    committing = new AgentTask[n];
    preemptVerdict = new boolean[n];
    global = n > enclave.length ? n - 1 : enclave[0];
    int[] served = Arrays.stream(enclave).filter(c -> c != global).toArray();
    decisions = new Decisions(guard, served, new Decisions.CpuState() {
      @Override public TaskView current(int cpu) { return running[cpu]; }

      @Override public long runningSince(int cpu) { return running[cpu] == null ? -1 : running[cpu].sliceStart; }

      @Override public int queueLength(int cpu) { return 0; }
    });
    queue = setup.createQueue(65536);
    setup.setDefaultQueue(queue);
    setup.becomeAgent(global, queue);
    for (int id : enclave) if (id != global) setup.becomeAgent(id, queue);
    setup.discoverTasks();
  }

  /**
   * Re-attaches the agent of {@code cpu} (the global agent or a satellite) after it died, as ghOSt's
   * rebootless upgrade does: becomes its agent again on the shared queue and has the kernel
   * re-announce every task. The task state kept here survives.
   */
  public void reattach(int cpu, KernelPort setup) {
    setup.becomeAgent(cpu, queue);
    setup.discoverTasks();
  }

  @Override public void activate(int cpu, KernelPort p) {
    int aseq = p.agentBarrier(cpu);
    if (cpu != global) {
      p.yield(aseq, 0); // a satellite: it only exists so that its CPU can run ghOSt tasks
      return;
    }
    port = p;
    hints.refresh(p, tasks);
    if (suspended) {
      suspended = false; // resumed after a deferred decision: finish the pass
    } else {
      settleCommits();
      Message m;
      while ((m = p.poll(queue)) != null) dispatch(m);
    }
    if (!decide()) {
      suspended = true;
      p.suspend();
    }
  }

  /**
   * The decisions of a pass: expired slices, idle CPUs, an arrival that may displace a running task.
   * Returns false when a decision was deferred; running it again then asks the same question,
   * because everything decided so far is recorded (txns opened, slices renewed, verdicts kept).
   */
  private boolean decide() {
    if (guard.policy().sliceNs() > 0 && !expireSlices()) return false;
    for (int id : enclave) {
      if (rq.isEmpty()) break;
      if (id == global || running[id] != null || committing[id] != null) continue;
      if ((port.agentFlags(id) & StatusFlags.CPU_AVAIL) == 0) continue; // CFS has it
      int r = commitNext(id, "CPU_IDLE");
      if (r == DEFERRED) return false;
      if (r == NONE) break;
    }
    if (arrived != null && guard.policy().preemptsOnArrival()) {
      if (!preemptForArrival()) return false;
    }
    arrived = null;
    return true;
  }

  private static final int COMMITTED = 0, NONE = 1, DEFERRED = 2;

  /** Asks the policy for the next task of {@code cpu} and opens and submits its txn. */
  private int commitNext(int cpu, String trigger) {
    int pick = rq.size() == 1 ? 0 : decisions.ask(port, Kind.PICK, trigger, cpu, null, rq);
    if (pick == Policy.DEFER) return DEFERRED;
    if (pick < 0) return NONE;
    AgentTask t = rq.get(pick);
    // ghOSt's global agent skips a task still on a CPU or with messages it has not seen; it is
    // retried when those messages arrive (they re-run this agent).
    boolean onCpu = (port.taskFlags(t.gtid) & StatusFlags.TASK_ONCPU) != 0;
    if (onCpu || port.taskBarrier(t.gtid) != t.seqnum) return NONE;
    rq.take(pick);
    open(cpu, t);
    return COMMITTED;
  }

  private void open(int cpu, AgentTask t) {
    t.to(AgentTask.State.RUNNABLE);
    port.openTxn(cpu, t.gtid, port.agentBarrier(cpu), t.seqnum, 0, CommitFlags.COMMIT_AT_TXN_COMMIT);
    committing[cpu] = t;
    port.commit(cpu); // txns of one pass are applied together: a group commit
  }

  private boolean expireSlices() {
    long slice = guard.policy().sliceNs();
    long now = port.now();
    for (int id : enclave) {
      AgentTask t = running[id];
      if (t == null || committing[id] != null || now - t.sliceStart < slice) continue;
      if (!preemptVerdict[id]) {
        t.attained = port.taskRuntime(t.gtid); // GHOST_IOC_GET_CPU_TIME: include the slice just run
        int verdict = rq.isEmpty() ? 0 : decisions.ask(port, Kind.SLICE, "SLICE", id, t, rq);
        if (verdict == Policy.DEFER) return false;
        preemptVerdict[id] = verdict == 1;
      }
      if (preemptVerdict[id]) {
        int r = commitNext(id, "SLICE");
        if (r == DEFERRED) return false;
        preemptVerdict[id] = false;
        if (r == COMMITTED) continue;
      }
      t.sliceStart = now; // keep running: a new slice
      port.timerAt(global, now + slice, id);
    }
    return true;
  }

  private boolean preemptForArrival() {
    if (rq.isEmpty() || arrived.state != AgentTask.State.QUEUED) return true;
    for (int id : enclave) if (id != global && running[id] == null && committing[id] == null) return true;
    int victim = decisions.ask(port, Kind.PREEMPT, "ARRIVAL", -1, arrived, rq);
    if (victim == Policy.DEFER) return false;
    if (victim < 0 || committing[victim] != null) return true;
    int pos = rq.indexOf(arrived);
    boolean onCpu = (port.taskFlags(arrived.gtid) & StatusFlags.TASK_ONCPU) != 0;
    if (pos < 0 || onCpu || port.taskBarrier(arrived.gtid) != arrived.seqnum) return true;
    rq.take(pos);
    open(victim, arrived);
    return true;
  }

  private void settleCommits() {
    long slice = guard.policy().sliceNs();
    for (int id : enclave) {
      AgentTask t = committing[id];
      if (t == null) continue;
      committing[id] = null;
      if (port.txnState(id) == TxnState.COMPLETE.code()) {
        running[id] = t;
        t.to(AgentTask.State.ON_CPU);
        t.cpu = id;
        t.prioBoost = false;
        t.sliceStart = port.now();
        if (slice > 0) port.timerAt(global, port.now() + slice, id);
      } else if (tasks.containsKey(t.gtid) && t.state != AgentTask.State.BLOCKED) {
        t.prioBoost = true;
        insert(t, "TXN_FAILED");
      }
    }
  }

  private void dispatch(Message m) {
    if (!m.type().isTaskMessage()) return; // CPU_TIMER_EXPIRED only needs to wake us
    AgentTask t = tasks.get(m.gtid());
    if (t != null) t.seqnum = m.seqnum();
    switch (m.type()) {
      case TASK_NEW -> {
        TaskNew p = (TaskNew) m.payload();
        if (t == null) {
          t = new AgentTask(p.gtid(), m.seqnum(), port.oracle());
          tasks.put(t.gtid, t);
        } else {
          offCpu(t);
          if (t.state == AgentTask.State.QUEUED) rq.removeTask(t);
          t.state = AgentTask.State.BLOCKED;
        }
        t.hint = Hints.read(port, t.gtid);
        t.nice = p.nice();
        t.attained = p.runtime();
        if (p.runnable()) runnable(t, "TASK_NEW", false);
      }
      case TASK_WAKEUP -> {
        if (t != null) runnable(t, "TASK_WAKEUP", false);
      }
      case TASK_BLOCKED, TASK_SWITCHTO -> {
        if (t == null) return;
        if (m.payload() instanceof TaskBlocked b) t.attained = b.runtime();
        offCpu(t);
        t.state = AgentTask.State.BLOCKED;
      }
      case TASK_PREEMPT, TASK_YIELD -> {
        if (t == null || t.state == AgentTask.State.QUEUED) return;
        boolean preempt = m.type() == MessageType.TASK_PREEMPT;
        t.attained = preempt ? ((TaskPreempt) m.payload()).runtime() : ((TaskYield) m.payload()).runtime();
        if (preempt) t.preemptions++;
        offCpu(t);
        runnable(t, m.type().name(), preempt);
      }
      case TASK_DEAD, TASK_DEPARTED -> {
        if (t != null) {
          offCpu(t);
          if (t.state == AgentTask.State.QUEUED) rq.removeTask(t);
        }
        tasks.remove(m.gtid());
        port.freeStatusWord(m.gtid());
      }
      default -> { }
    }
  }

  private void runnable(AgentTask t, String trigger, boolean boost) {
    t.to(AgentTask.State.RUNNABLE);
    t.runnableSince = port.now();
    t.prioBoost = boost;
    insert(t, trigger);
    if (!boost) arrived = t;
  }

  private void insert(AgentTask t, String trigger) {
    int pos = rq.isEmpty() ? 0 : decisions.ask(port, Kind.INSERT, trigger, -1, t, rq);
    t.to(AgentTask.State.QUEUED);
    rq.insert(pos, t);
  }

  private void offCpu(AgentTask t) {
    if (t.cpu >= 0 && running[t.cpu] == t) running[t.cpu] = null;
    if (t.cpu >= 0 && committing[t.cpu] == t) committing[t.cpu] = null;
  }
}
