package dev.ghostgym.actors.agent;

import dev.ghostgym.actors.policy.TaskView;
import dev.ghostgym.port.Oracle;

/**
 * The agent's view of one task, as ghOSt's schedulers keep it: the last seqnum seen (the task
 * barrier for the next commit), a small state machine (Blocked, Runnable, Queued, OnCpu), the CPU
 * it belongs to, and what a policy may read about it.
 */
public final class AgentTask implements TaskView {
  public enum State { BLOCKED, RUNNABLE, QUEUED, ON_CPU }

  public final long gtid;
  public int seqnum;
  public State state = State.BLOCKED;
  public int cpu = -1;
  public boolean preempted;
  public boolean prioBoost;
  public int hint;
  public int nice;
  public long runnableSince;
  public long attained;
  public int preemptions;
  public long sliceStart;
  private final Oracle oracle;

  public AgentTask(long gtid, int seqnum) {
    this(gtid, seqnum, null);
  }

  public AgentTask(long gtid, int seqnum, Oracle oracle) {
    this.gtid = gtid;
    this.seqnum = seqnum;
    this.oracle = oracle;
  }

  /** Moves to {@code next}, checking the transition is one ghOSt's FIFO allows. */
  public void to(State next) {
    boolean ok = switch (next) {
      case BLOCKED -> true; // a task can block from any state (and TASK_NEW may re-announce it)
      case RUNNABLE, ON_CPU -> state != State.BLOCKED || next == State.RUNNABLE;
      case QUEUED -> state != State.BLOCKED;
    };
    if (!ok) throw new IllegalStateException("task " + gtid + ": " + state + " -> " + next + " is not a valid transition");
    state = next;
  }

  @Override public long gtid() { return gtid; }

  @Override public int hint() { return hint; }

  @Override public int nice() { return nice; }

  @Override public long runnableSinceNs() { return runnableSince; }

  @Override public long attainedNs() { return attained; }

  @Override public int preemptions() { return preemptions; }

  @Override public boolean boosted() { return prioBoost; }

  @Override public long remainingNs() { return oracle == null ? -1 : oracle.remainingNs(gtid); }

  @Override public long burstNs() { return oracle == null ? -1 : oracle.burstNs(gtid); }

  @Override public long deadlineNs() { return oracle == null ? Long.MAX_VALUE : oracle.deadlineNs(gtid); }

  @Override public String toString() { return "task " + gtid + " " + state + " cpu " + cpu; }
}
