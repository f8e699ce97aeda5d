package dev.ghostgym.actors.agent;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.TaskView;
import dev.ghostgym.port.Oracle;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The agent's view of one task, as ghOSt's schedulers keep it: the last seqnum seen (the task
 * barrier for the next commit), a small state machine (Blocked, Runnable, Queued, OnCpu), the CPU
 * it belongs to, and what a policy may read about it.
 *
 * <p>The state changes only through {@link #to}, which checks each move against {@link #ALLOWED}
 * and throws on any other, as ghOSt's FIFO agents {@code CHECK} the run state before each change
 * ({@code schedulers/fifo/per_cpu/fifo_scheduler.cc} in google/ghost-userspace: {@code
 * FifoRq::Enqueue} checks kRunnable, {@code FifoRq::Dequeue} kQueued, {@code TaskRunnable}
 * kBlocked, {@code TaskOffCpu} kOnCpu or a switchto-blocked task). An illegal move is a bug in the
 * agents, never a kernel event to tolerate, so it stops the run with a message naming the task and
 * the move.
 */
public final class AgentTask implements TaskView {
  /** The run states of ghOSt's {@code FifoTaskState}. */
  public enum State {
    BLOCKED,
    RUNNABLE,
    QUEUED,
    ON_CPU
  }

  /**
   * Every allowed move, from a state to the states it may go to. ghOSt's FIFO takes these:
   * Blocked→Runnable (TASK_WAKEUP, or TASK_NEW of a runnable task), Runnable→Queued (enqueued),
   * Queued→Runnable (dequeued to be committed), Runnable→OnCpu (its commit succeeded), OnCpu→OnCpu
   * (the current task committed again), OnCpu→Runnable (preempted, yielded, or its commit failed)
   * and OnCpu→Blocked (TASK_BLOCKED). One more event ends in Blocked from any state: the kernel
   * re-announces every task with TASK_NEW when an agent re-attaches (ghOSt's rebootless upgrade,
   * {@code discoverTasks}), and the agents start the task over from Blocked after taking it off its
   * run queue and CPU. Everything else (Blocked→Queued or →OnCpu, Queued→OnCpu, OnCpu→Queued, a
   * Runnable or Queued task made so again) is an agent bug.
   */
  static final Map<State, Set<State>> ALLOWED = allowed();

  public final long gtid;
  public int seqnum;
  private State state = State.BLOCKED;
  public int cpu = -1;
  public boolean preempted;
  public boolean prioBoost;
  public int hint;

  /** The QoS of the task's work class, as last copied from the PrioTable. */
  public int qos;

  /** SCHED_ITEM_RUNNABLE as last copied (true with no table or no item). */
  public boolean itemRunnable = true;

  /** The seqcount of the last copy of the task's sched item (-1: never copied). */
  public int itemSeq = -1;

  /** The last copy attempt found the item being written: copy it again next pass. */
  public boolean itemTorn;

  /** Runnable in the kernel, but held out of the run queue because its item is not RUNNABLE. */
  public boolean paused;

  public int nice;

  /** The CPUs it may run on, read with sched_getaffinity on TASK_AFFINITY_CHANGED; null: all. */
  public java.util.BitSet affinity;

  public long runnableSince;
  public long attained;
  public int preemptions;
  public long sliceStart;
  // Why another CPU's agent placed it here: set before the task goes into this CPU's inbox.
  DecisionRequest.Trigger handOff;
  private final Oracle oracle;

  /** Whether its affinity (as last read) lets it run on CPU {@code cpu}. */
  public boolean allowedOn(int cpu) {
    return affinity == null || affinity.get(cpu);
  }

  /**
   * {@code cpu} when the task may run there, else the first allowed CPU of {@code enclave} after it
   * (wrapping), else {@code cpu} (no allowed CPU: nothing better to do).
   */
  public int allowedFrom(int cpu, int[] enclave) {
    if (allowedOn(cpu)) return cpu;
    int start = 0;
    while (start < enclave.length && enclave[start] <= cpu) start++;
    for (int i = 0; i < enclave.length; i++) {
      int c = enclave[(start + i) % enclave.length];
      if (allowedOn(c)) return c;
    }
    return cpu;
  }

  public AgentTask(long gtid, int seqnum) {
    this(gtid, seqnum, null);
  }

  public AgentTask(long gtid, int seqnum, Oracle oracle) {
    this.gtid = gtid;
    this.seqnum = seqnum;
    this.oracle = oracle;
  }

  private static Map<State, Set<State>> allowed() {
    Map<State, Set<State>> m = new EnumMap<>(State.class);
    m.put(State.BLOCKED, Collections.unmodifiableSet(EnumSet.of(State.RUNNABLE, State.BLOCKED)));
    m.put(
        State.RUNNABLE,
        Collections.unmodifiableSet(EnumSet.of(State.QUEUED, State.ON_CPU, State.BLOCKED)));
    m.put(State.QUEUED, Collections.unmodifiableSet(EnumSet.of(State.RUNNABLE, State.BLOCKED)));
    m.put(
        State.ON_CPU,
        Collections.unmodifiableSet(EnumSet.of(State.ON_CPU, State.RUNNABLE, State.BLOCKED)));
    return Collections.unmodifiableMap(m);
  }

  /** The task's run state. */
  public State state() {
    return state;
  }

  /**
   * Moves to {@code next}.
   *
   * @throws IllegalStateException if {@link #ALLOWED} has no such move from the current state
   */
  public void to(State next) {
    if (!ALLOWED.get(state).contains(next)) {
      throw new IllegalStateException(
          "task "
              + gtid
              + ": illegal run-state transition "
              + state
              + " -> "
              + next
              + " (allowed from "
              + state
              + ": "
              + ALLOWED.get(state)
              + ")");
    }
    state = next;
  }

  @Override
  public long gtid() {
    return gtid;
  }

  @Override
  public int hint() {
    return hint;
  }

  @Override
  public int qos() {
    return qos;
  }

  @Override
  public int nice() {
    return nice;
  }

  @Override
  public long runnableSinceNs() {
    return runnableSince;
  }

  @Override
  public long attainedNs() {
    return attained;
  }

  @Override
  public int preemptions() {
    return preemptions;
  }

  @Override
  public boolean boosted() {
    return prioBoost;
  }

  @Override
  public long remainingNs() {
    return oracle == null ? -1 : oracle.remainingNs(gtid);
  }

  @Override
  public long burstNs() {
    return oracle == null ? -1 : oracle.burstNs(gtid);
  }

  @Override
  public long deadlineNs() {
    return oracle == null ? Long.MAX_VALUE : oracle.deadlineNs(gtid);
  }

  @Override
  public String toString() {
    return "task " + gtid + " " + state + " cpu " + cpu;
  }
}
