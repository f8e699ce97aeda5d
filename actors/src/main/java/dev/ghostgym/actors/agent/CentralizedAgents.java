package dev.ghostgym.actors.agent;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.MessageView;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.actors.policy.DecisionRequest.Kind;
import dev.ghostgym.actors.policy.DecisionRequest.Trigger;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TaskView;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.port.LongMap;
import java.util.Arrays;

/**
 * The centralized model (docs/KERNEL-MODEL.md section 2.7) with the choices left to a policy: one
 * queue with no wakeup, polled by a global agent that spins on its CPU and commits to idle CPUs as
 * one group commit. Where a task goes in the shared run queue (INSERT) and which task an idle CPU
 * gets (PICK) are the policy's; a policy that preempts on arrival (SRPT) is asked which running
 * task a new one displaces (PREEMPT). Preemption is a remote commit of another task (or of nothing)
 * to that CPU, after which the kernel sends TASK_PREEMPT for the displaced one. PICK, SLICE and
 * PREEMPT may be answered with {@link Policy#DEFER}; INSERT is asked while messages are handled and
 * must be answered at once.
 *
 * <p>As ghost-userspace's centralized agents do ({@code schedulers/fifo/centralized}, {@code
 * schedulers/shinjuku}): a woken task is prio-boosted ({@code prio_boost = !deferrable}), as are a
 * preempted task and one whose commit failed; a task still on a CPU or with messages not yet seen
 * sits out the round and is queued again after it; and when a CFS task wants the global agent's CPU
 * ({@code BOOST_PRIO}), the global role moves to another available CPU, whose agent is pinged, and
 * the old global agent yields its CPU. Time slices come in two styles ({@link Policy.SliceStyle}):
 * a ghOSt timer per commit, renewed while nobody waits, and asking the policy when it fires
 * (SLICE); or, as ghost-userspace's Shinjuku, polled from the commit time in every round, never
 * renewed, after idle CPUs have been filled.
 */
public final class CentralizedAgents implements AgentEngine {
  private final PolicyGuard guard;
  private final LongMap<AgentTask> tasks = new LongMap<>();
  private final Hints hints = new Hints();
  private final RunQueue rq = new RunQueue();
  private AgentTask[] running = new AgentTask[0];
  private AgentTask[] committing = new AgentTask[0];
  private int[] enclave = new int[0];
  // Read by every agent at the start of its pass; written last by a hand-off, so the new global
  // agent sees everything the old one did (satellites touch nothing else: no lock is needed).
  private volatile int global = -1;
  private int queue = -1;
  private Decisions decisions;
  private KernelPort port;
  private AgentTask arrived; // the task that arrived this round with no CPU free (SRPT)
  private boolean suspended;
  private boolean[] preemptVerdict = new boolean[0]; // SLICE answered "preempt", pick pending
  private final RunQueue sitOut = new RunQueue(); // skipped this round, queued again after it
  // The global agent reads every message into this one view (decoded in place on a real kernel):
  // no record per message. Only the global agent's pass drains the queue.
  private final MessageView msg = new MessageView();
  private volatile int handOffs;
  private boolean anyAffinity; // some task has a mask: an idle CPU may find nothing it can run
  private long pollAt = -1; // the time the spinning agent already asked to look again at

  private final boolean syncGroup;
  private int[] group = new int[0]; // sync group mode: the CPUs whose txns this pass opened
  private int groupSize;

  public CentralizedAgents(PolicyGuard guard) {
    this(guard, false);
  }

  /**
   * @param syncGroup commit each pass's txns as one sync group (GHOST_IOC_SYNC_GROUP_TXN): all or
   *     nothing; when one fails, every task of the group is queued again (ghost-userspace's {@code
   *     CommitSyncRequests} treats the whole group as failed)
   */
  public CentralizedAgents(PolicyGuard guard, boolean syncGroup) {
    this.guard = guard;
    this.syncGroup = syncGroup;
  }

  @Override
  public PolicyGuard guard() {
    return guard;
  }

  /** The CPU whose agent is the global agent now (it moves when CFS wants that CPU). */
  @Override
  public int globalCpu() {
    return global;
  }

  /** True: only the global agent's pass touches the engine's state; satellites only yield. */
  @Override
  public boolean concurrentPasses() {
    return true;
  }

  /** How many times the global role moved to another CPU (BOOST_PRIO hand-offs). */
  public int handOffs() {
    return handOffs;
  }

  @Override
  public void attach(KernelPort setup) {
    enclave = setup.enclaveCpus();
    int n = setup.cpus();
    running = new AgentTask[n];
    committing = new AgentTask[n];
    preemptVerdict = new boolean[n];
    group = new int[n];
    // The global agent takes the CPU kept for it (the simulator's ideal agent); else, on a machine
    // with CPUs outside the enclave, the enclave's last CPU (never one outside it: `become agent`
    // there is EINVAL on a real kernel); else the enclave's first. ghost-userspace's
    // fifo/centralized/fifo_agent.cc (ParseFifoConfig) defaults --globalcpu to the first of
    // --ghost_cpus in every case: docs/FIDELITY.md lists the difference.
    int spare = setup.spareAgentCpu();
    global = spare >= 0 ? spare : n > enclave.length ? enclave[enclave.length - 1] : enclave[0];
    decisions =
        new Decisions(
            guard,
            served(global),
            new Decisions.CpuState() {
              @Override
              public TaskView current(int cpu) {
                return running[cpu];
              }

              @Override
              public long runningSince(int cpu) {
                return running[cpu] == null ? -1 : running[cpu].sliceStart;
              }

              @Override
              public int queueLength(int cpu) {
                return 0;
              }
            });
    queue = setup.createQueue(65536);
    setup.setDefaultQueue(queue);
    setup.becomeAgent(global, queue);
    for (int id : enclave) if (id != global) setup.becomeAgent(id, queue);
    setup.discoverTasks();
  }

  @Override // cpu is the global agent's or a satellite's; all share one queue
  public void reattach(int cpu, KernelPort setup) {
    setup.becomeAgent(cpu, queue);
    setup.discoverTasks();
  }

  /** The CPUs a global agent on CPU {@code agent} schedules: the enclave's, less its own. */
  private int[] served(int agent) {
    return Arrays.stream(enclave).filter(c -> c != agent).toArray();
  }

  @Override
  public void activate(int cpu, KernelPort p) {
    int aseq = p.agentBarrier(cpu);
    if (cpu != global) {
      p.yield(aseq, 0); // a satellite: it only exists so that its CPU can run ghOSt tasks
      return;
    }
    port = p;
    if (!suspended && (p.agentFlags(cpu) & StatusFlags.BOOST_PRIO) != 0 && handOff(p, cpu, aseq))
      return;
    if (suspended) {
      suspended = false; // resumed after a deferred decision: finish the pass
    } else {
      // Once per pass: a pass resumed after a deferred decision is the same pass (same instant).
      hints.refresh(p, tasks, this::itemFlagChanged);
      settleCommits();
      while (p.pollInto(queue, msg)) dispatch(msg);
    }
    if (!decide()) {
      suspended = true;
      p.suspend();
      return;
    }
    if (groupSize > 0) {
      p.syncCommit(Arrays.copyOf(group, groupSize));
      groupSize = 0;
    }
  }

  /**
   * A CFS task wants the global agent's CPU (BOOST_PRIO): as ghost-userspace's {@code
   * PickNextGlobalCPU}, make the first other CPU whose agent word says CPU_AVAIL the global one,
   * ping its agent (which preempts that CPU's task and becomes the spinning global agent), and
   * yield this CPU. With no CPU available the agent keeps its CPU and schedules as usual. (The
   * centralized FIFO prefers an SMT sibling, then the same L3 and NUMA node; there is no topology
   * here, so both take the lowest available CPU.)
   */
  private boolean handOff(KernelPort p, int cpu, int aseq) {
    for (int id : enclave) {
      if (id == cpu || (p.agentFlags(id) & StatusFlags.CPU_AVAIL) == 0) continue;
      decisions.cpus(served(id));
      handOffs++;
      global = id; // last: from here on the new global agent owns the engine's state
      p.ping(id); // through this CPU's own port, never the shared field
      p.yield(aseq, 0);
      return true;
    }
    return false;
  }

  /**
   * The decisions of a pass: expired slices, idle CPUs, an arrival that may displace a running
   * task. Returns false when a decision was deferred; running it again then asks the same question,
   * because everything decided so far is recorded (txns opened, slices renewed, verdicts kept).
   */
  private boolean decide() {
    Policy policy = guard.policy();
    boolean polled = policy.sliceStyle() == Policy.SliceStyle.POLLED;
    // ghost-userspace's Shinjuku fills idle CPUs first, then preempts (SkipForSchedule).
    if (policy.sliceNs() > 0 && !polled && !expireSlices()) return false;
    for (int id : enclave) {
      if (rq.isEmpty()) break;
      if (id == global || running[id] != null || committing[id] != null) continue;
      if ((port.agentFlags(id) & StatusFlags.CPU_AVAIL) == 0) continue; // CFS has it
      int r = commitNext(id, Trigger.CPU_IDLE);
      if (r == DEFERRED) return false;
      if (r == NONE && !anyAffinity) break; // else another CPU may take what this one could not
    }
    if (policy.sliceNs() > 0 && polled && !pollSlices()) return false;
    if (arrived != null && policy.preemptsOnArrival()) {
      if (!preemptForArrival()) return false;
    }
    arrived = null;
    // Tasks that sat this round out are queued again after it, as ghost-userspace's agents do.
    while (!sitOut.isEmpty()) insert(sitOut.pollFirst(), Trigger.SKIPPED);
    return true;
  }

  private static final int COMMITTED = 0, NONE = 1, DEFERRED = 2;

  /**
   * Asks the policy for the next task of {@code cpu} and opens and submits its txn. A task still on
   * a CPU or with messages not yet seen sits the round out (ghost-userspace's {@code Yield} in
   * {@code GlobalSchedule}) and the next one is asked for.
   */
  private int commitNext(int cpu, Trigger trigger) {
    int r = commitAllowed(cpu, trigger);
    // Tasks whose affinity excludes this CPU go back where they were, for the other CPUs.
    for (int i = 0; !elsewhere.isEmpty(); i++) rq.insert(i, elsewhere.pollFirst());
    return r;
  }

  private final RunQueue elsewhere = new RunQueue(); // skipped by commitAllowed: not allowed here

  private int commitAllowed(int cpu, Trigger trigger) {
    while (!rq.isEmpty()) {
      int pick = rq.size() == 1 ? 0 : decisions.ask(port, Kind.PICK, trigger, cpu, null, rq);
      if (pick == Policy.DEFER) return DEFERRED;
      if (pick < 0) return NONE;
      AgentTask t = rq.take(pick);
      if (!t.allowedOn(cpu)) { // the kernel would not refuse it (no affinity check at commit)
        elsewhere.addLast(t);
        continue;
      }
      boolean onCpu = (port.taskFlags(t.gtid) & StatusFlags.TASK_ONCPU) != 0;
      if (onCpu || port.taskBarrier(t.gtid) != t.seqnum) {
        t.to(AgentTask.State.RUNNABLE); // dequeued for this round; queued again after it
        sitOut.addLast(t);
        continue;
      }
      open(cpu, t);
      return COMMITTED;
    }
    return NONE;
  }

  private void open(int cpu, AgentTask t) {
    t.to(AgentTask.State.RUNNABLE);
    port.openTxn(
        cpu, t.gtid, port.agentBarrier(cpu), t.seqnum, 0, CommitFlags.COMMIT_AT_TXN_COMMIT);
    committing[cpu] = t;
    if (syncGroup) group[groupSize++] = cpu; // committed at the end of the pass, all or nothing
    else port.commit(cpu); // txns of one pass are applied together: a group commit
  }

  /**
   * ghost-userspace Shinjuku's slice ({@code GlobalSchedule}): a task that has run a slice since
   * its commit is preempted once another task waits (the policy confirms, SLICE); the slice is
   * never renewed and no timer is armed. The spinning agent looks again when the next slice ends,
   * if anyone waits then (a real global agent polls {@code now - last_ran} in every loop).
   */
  private boolean pollSlices() {
    Policy policy = guard.policy();
    long slice = policy.sliceNs();
    long now = port.now();
    long next = Long.MAX_VALUE;
    for (int id : enclave) {
      AgentTask t = running[id];
      if (id == global || t == null || committing[id] != null) continue;
      // Shinjuku: a waiting task of higher QoS preempts at once, one of equal QoS after the slice.
      boolean outranked = policy.followsPrioTable() && !rq.isEmpty() && rq.get(0).qos > t.qos;
      if (now - t.sliceStart < slice && !outranked) {
        next = Math.min(next, t.sliceStart + slice);
        continue;
      }
      if (rq.isEmpty()) continue; // expired: preempted as soon as someone waits
      if (!preemptVerdict[id]) {
        attained(t);
        int verdict = decisions.ask(port, Kind.SLICE, Trigger.SLICE, id, t, rq);
        if (verdict == Policy.DEFER) return false;
        preemptVerdict[id] = verdict == 1;
      }
      if (preemptVerdict[id]) {
        int r = commitNext(id, Trigger.SLICE);
        if (r == DEFERRED) return false;
        preemptVerdict[id] = false;
      }
    }
    if (!rq.isEmpty() && next != Long.MAX_VALUE && next != pollAt) {
      pollAt = next;
      port.pollAt(next);
    }
    return true;
  }

  private boolean expireSlices() {
    long slice = guard.policy().sliceNs();
    long now = port.now();
    for (int id : enclave) {
      AgentTask t = running[id];
      if (t == null || committing[id] != null || now - t.sliceStart < slice) continue;
      if (!preemptVerdict[id]) {
        attained(t); // GHOST_IOC_GET_CPU_TIME: include the slice just run
        int verdict = rq.isEmpty() ? 0 : decisions.ask(port, Kind.SLICE, Trigger.SLICE, id, t, rq);
        if (verdict == Policy.DEFER) return false;
        preemptVerdict[id] = verdict == 1;
      }
      if (preemptVerdict[id]) {
        int r = commitNext(id, Trigger.SLICE);
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
    if (rq.isEmpty() || arrived.state() != AgentTask.State.QUEUED) return true;
    for (int id : enclave)
      if (id != global && running[id] == null && committing[id] == null) return true;
    int victim = decisions.ask(port, Kind.PREEMPT, Trigger.ARRIVAL, -1, arrived, rq);
    if (victim == Policy.DEFER) return false;
    if (victim < 0 || committing[victim] != null || !arrived.allowedOn(victim)) return true;
    int pos = rq.indexOf(arrived);
    boolean onCpu = (port.taskFlags(arrived.gtid) & StatusFlags.TASK_ONCPU) != 0;
    if (pos < 0 || onCpu || port.taskBarrier(arrived.gtid) != arrived.seqnum) return true;
    rq.take(pos);
    open(victim, arrived);
    return true;
  }

  private void settleCommits() {
    long slice = guard.policy().sliceNs();
    // A failed sync group leaves the txns committed before the failure COMPLETE, but their tasks
    // were forced off at the poisoned rendezvous: the whole group failed.
    boolean groupFailed = false;
    if (syncGroup) {
      for (int id : enclave) {
        if (committing[id] != null && port.txnState(id) != TxnState.COMPLETE.code())
          groupFailed = true;
      }
    }
    for (int id : enclave) {
      AgentTask t = committing[id];
      if (t == null) continue;
      committing[id] = null;
      if (!groupFailed && port.txnState(id) == TxnState.COMPLETE.code()) {
        running[id] = t;
        t.to(AgentTask.State.ON_CPU);
        t.cpu = id;
        t.prioBoost = false;
        t.sliceStart = port.now();
        if (slice > 0 && guard.policy().sliceStyle() == Policy.SliceStyle.TIMER) {
          port.timerAt(global, port.now() + slice, id);
        }
      } else if (tasks.containsKey(t.gtid) && t.state() != AgentTask.State.BLOCKED) {
        t.prioBoost = true;
        insert(t, Trigger.TXN_FAILED);
      }
    }
  }

  private void dispatch(MessageView m) {
    if (!m.type().isTaskMessage()) return; // CPU_TIMER_EXPIRED only needs to wake us
    AgentTask t = tasks.get(m.gtid());
    if (t != null) t.seqnum = m.seqnum();
    switch (m.type()) {
      case TASK_NEW -> {
        if (t == null) {
          t = new AgentTask(m.gtid(), m.seqnum(), port.oracle());
          tasks.put(t.gtid, t);
        } else {
          offCpu(t);
          if (t.state() == AgentTask.State.QUEUED) rq.removeTask(t);
          t.paused = false;
          t.to(AgentTask.State.BLOCKED);
        }
        hints.read(port, t);
        t.nice = m.nice();
        t.attained = m.runtime();
        if (m.runnable()) runnable(t, Trigger.TASK_NEW, false, true);
      }
      case TASK_WAKEUP -> {
        // ghost-userspace: prio_boost = !deferrable, and a boosted task goes to the front.
        if (t != null) runnable(t, Trigger.TASK_WAKEUP, !m.deferrable(), true);
      }
      case TASK_BLOCKED, TASK_SWITCHTO -> {
        if (t == null) return;
        if (m.type() == MessageType.TASK_BLOCKED) t.attained = m.runtime(); // SWITCHTO has none
        offCpu(t);
        // ghost-userspace: an on-CPU task leaves its CPU, a queued one its run queue (a task
        // re-announced by discovery while it ran is queued here when it exits).
        if (t.state() == AgentTask.State.QUEUED) rq.removeTask(t);
        t.paused = false;
        t.to(AgentTask.State.BLOCKED);
      }
      case TASK_PREEMPT, TASK_YIELD -> {
        if (t == null || t.state() == AgentTask.State.QUEUED) return;
        boolean preempt = m.type() == MessageType.TASK_PREEMPT;
        t.attained = m.runtime();
        if (preempt) t.preemptions++;
        offCpu(t);
        runnable(t, preempt ? Trigger.TASK_PREEMPT : Trigger.TASK_YIELD, preempt, !preempt);
      }
      case TASK_AFFINITY_CHANGED -> {
        if (t != null) t.affinity = port.taskAffinity(t.gtid); // sched_getaffinity
        anyAffinity = true;
      }
      case TASK_DEAD, TASK_DEPARTED -> {
        if (t != null) {
          offCpu(t);
          if (t.state() == AgentTask.State.QUEUED) rq.removeTask(t);
        }
        tasks.remove(m.gtid());
        port.freeStatusWord(m.gtid());
      }
      default -> {}
    }
  }

  /**
   * The task became runnable: queue it ({@code boost}: ghost-userspace's prio_boost, front of the
   * queue for FIFO-like policies); {@code arrival}: it may displace a running task (SRPT).
   */
  private void runnable(AgentTask t, Trigger trigger, boolean boost, boolean arrival) {
    t.to(AgentTask.State.RUNNABLE);
    t.runnableSince = port.now();
    t.prioBoost = boost;
    if (guard.policy().followsPrioTable() && !t.itemRunnable) {
      t.paused = true; // Shinjuku's Enqueue: no work in its sched item, kPaused until it has
      return;
    }
    insert(t, trigger);
    if (arrival) arrived = t;
  }

  /**
   * A pass's PrioTable copy changed a task's RUNNABLE flag. For a policy that follows the table
   * (Shinjuku's {@code SchedParamsCallback}): a paused task that has work again is queued (case b);
   * a queued one that has none is taken out and paused (case c). A task on a CPU that clears its
   * flag keeps the CPU until it blocks, yields or is preempted (Shinjuku unschedules it at once).
   */
  private void itemFlagChanged(AgentTask t) {
    if (!guard.policy().followsPrioTable()) return;
    if (t.paused && t.itemRunnable) {
      t.paused = false;
      insert(t, Trigger.TASK_WAKEUP);
    } else if (!t.itemRunnable && t.state() == AgentTask.State.QUEUED) {
      rq.removeTask(t);
      t.to(AgentTask.State.RUNNABLE);
      t.paused = true;
    }
  }

  private void insert(AgentTask t, Trigger trigger) {
    int pos = rq.isEmpty() ? 0 : decisions.ask(port, Kind.INSERT, trigger, -1, t, rq);
    t.to(AgentTask.State.QUEUED);
    rq.insert(pos, t);
  }

  // A task gone (-1, ESRCH) keeps its runtime: GetTaskRuntime (lib/ghost.h) leaves it untouched.
  private void attained(AgentTask t) {
    long runtime = port.taskRuntime(t.gtid);
    if (runtime >= 0) t.attained = runtime;
  }

  private void offCpu(AgentTask t) {
    if (t.cpu >= 0 && running[t.cpu] == t) running[t.cpu] = null;
    if (t.cpu >= 0 && committing[t.cpu] == t) committing[t.cpu] = null;
  }
}
