package dev.ghostgym.actors.agent;

/**
 * The agent's view of one task, as ghOSt's schedulers keep it: the last seqnum seen (the task
 * barrier for the next commit), a small state machine (Blocked, Runnable, Queued, OnCpu) and the
 * CPU it belongs to.
 */
public final class AgentTask {
  public enum State { BLOCKED, RUNNABLE, QUEUED, ON_CPU }

  public final long gtid;
  public int seqnum;
  public State state = State.BLOCKED;
  public int cpu = -1;
  public boolean preempted;
  public boolean prioBoost;

  public AgentTask(long gtid, int seqnum) {
    this.gtid = gtid;
    this.seqnum = seqnum;
  }

  /** Moves to {@code next}, checking the transition is one ghOSt's FIFO allows. */
  public void to(State next) {
    boolean ok = switch (next) {
      case BLOCKED -> true; // a task can block from any state (and TASK_NEW may re-announce it)
      case RUNNABLE -> state == State.BLOCKED || state == State.ON_CPU || state == State.QUEUED;
      case QUEUED -> state == State.RUNNABLE || state == State.ON_CPU || state == State.QUEUED;
      case ON_CPU -> state == State.QUEUED || state == State.RUNNABLE || state == State.ON_CPU;
    };
    if (!ok) throw new IllegalStateException("task " + gtid + ": " + state + " -> " + next + " is not a valid transition");
    state = next;
  }

  @Override public String toString() { return "task " + gtid + " " + state + " cpu " + cpu; }
}
