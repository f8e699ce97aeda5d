package dev.ghostgym.sim;

import dev.ghostgym.config.Step;
import dev.ghostgym.config.TaskTemplate;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * The kernel's view of one thread: scheduling class, state, status word, queue, and where its
 * program is. Plain mutable fields: only the single-threaded machine touches them.
 */
final class SimTask implements TaskView {
  final long gtid;
  final long parentGtid;
  final TaskTemplate template;
  final int sourceIndex;
  ProgramCursor cursor; // a pool worker gets a new one with each request
  SplittableRandom rng;
  final long arrival;
  long deadlineAbs;
  WorkerPool pool; // the pool this task is a worker of, or null
  WorkerPool.Request request; // the request a pool worker serves now, or null

  boolean ghost; // in the ghOSt class (else CFS)
  TaskState state = TaskState.BLOCKED; // the machine makes it runnable on arrival
  int cpu = -1; // CPU it runs on or last ran on
  int cfsCpu = -1; // its CFS runqueue when in CFS
  boolean latched; // committed to a CPU, not yet running
  boolean rendezvousPoisoned; // latched by a sync group that failed: forced off before it runs
  boolean runReported; // an observer was told it runs (and must be told when it stops)

  // CFS (sched_entity): see FairClass
  long weight; // load weight from nice (sched_prio_to_weight); a {nice} step changes it
  int nice; // its nice value (static_prio), from the template until a {nice} step
  BitSet affinity; // the CPUs it may run on (sched_setaffinity), null: every CPU
  long vruntime;
  long vrStamp; // runtime up to here is charged to vruntime (exec_start)
  long sliceStart; // when its current slice began (prev_sum_exec_runtime)
  long rqSeq; // insertion order in its CFS tree (ties)

  // status word and messages
  SimQueue queue;
  int barrier;
  boolean msgGated;
  boolean departed; // left ghOSt; counted as departed, not as completed

  // the current burst
  long remaining;
  Step pending; // next step drawn ahead (prefetch), or END, or null
  static final Step END = new Step.Sleep(null); // marker: the program has no more steps
  long burst; // length of the current burst (the oracle's job size)
  long runStart;
  int epoch;
  int burstHandle = EventQueue.NONE; // the pending burst-end event, cancelled on preemption
  long burstEndAt; // when that event fires
  int lastRunFlags; // run flags of the txn that put it on the CPU

  // accounting
  long firstRun = -1;
  long runtime;
  long waitSum;
  long runnableSince;
  boolean waiting; // counted in the machine's waiting-time integral
  int preemptions;
  int migrations;

  SimTask(
      long gtid,
      long parentGtid,
      TaskTemplate template,
      int sourceIndex,
      SplittableRandom rng,
      long arrival,
      long deadlineAbs) {
    this.gtid = gtid;
    this.parentGtid = parentGtid;
    this.template = template;
    this.sourceIndex = sourceIndex;
    this.cursor = new ProgramCursor(template.program().steps());
    this.rng = rng;
    this.arrival = arrival;
    this.deadlineAbs = deadlineAbs;
    this.ghost = template.enclave();
    this.nice = template.nice();
    this.weight = FairMath.weight(nice);
  }

  int nice() {
    return nice;
  }

  /** Whether its affinity lets it run on CPU {@code cpu}. */
  boolean allowedOn(int cpu) {
    return affinity == null || affinity.get(cpu);
  }

  @Override
  public long gtid() {
    return gtid;
  }

  @Override
  public TaskState state() {
    return state;
  }

  @Override
  public int cpu() {
    return cpu;
  }

  @Override
  public boolean ghost() {
    return ghost;
  }

  @Override
  public long chargedRuntimeNs() {
    return runtime;
  }

  @Override
  public long firstRunNs() {
    return firstRun;
  }

  @Override
  public int barrier() {
    return barrier;
  }

  @Override
  public int queueId() {
    return queue == null ? -1 : queue.id;
  }
}
