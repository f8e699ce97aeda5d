package dev.ghostgym.sim;

import dev.ghostgym.config.Step;
import dev.ghostgym.config.TaskTemplate;
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
  final ProgramCursor cursor;
  final SplittableRandom rng;
  final long arrival;
  final long deadlineAbs;

  boolean ghost;            // in the ghOSt class (else CFS)
  TaskState state = TaskState.BLOCKED; // the machine makes it runnable on arrival
  int cpu = -1;             // CPU it runs on or last ran on
  int cfsCpu = -1;          // its CFS runqueue when in CFS
  boolean latched;          // committed to a CPU, not yet running

  // status word and messages
  SimQueue queue;
  int barrier;
  boolean msgGated;
  boolean departed;         // left ghOSt; counted as departed, not as completed

  // the current burst
  long remaining;
  Step pending;             // next step drawn ahead (prefetch), or END, or null
  static final Step END = new Step.Sleep(null); // marker: the program has no more steps
  long burst;               // length of the current burst (the oracle's job size)
  long runStart;
  int epoch;
  int burstHandle = EventQueue.NONE; // the pending burst-end event, cancelled on preemption
  int lastRunFlags;         // run flags of the txn that put it on the CPU

  // accounting
  long firstRun = -1;
  long runtime;
  long waitSum;
  long runnableSince;
  boolean waiting;          // counted in the machine's waiting-time integral
  int preemptions;
  int migrations;

  SimTask(long gtid, long parentGtid, TaskTemplate template, int sourceIndex, SplittableRandom rng,
          long arrival, long deadlineAbs) {
    this.gtid = gtid;
    this.parentGtid = parentGtid;
    this.template = template;
    this.sourceIndex = sourceIndex;
    this.cursor = new ProgramCursor(template.program().steps());
    this.rng = rng;
    this.arrival = arrival;
    this.deadlineAbs = deadlineAbs;
    this.ghost = template.enclave();
  }

  int nice() { return template.nice(); }

  @Override public long gtid() { return gtid; }

  @Override public TaskState state() { return state; }

  @Override public int cpu() { return cpu; }

  @Override public boolean ghost() { return ghost; }

  @Override public long chargedRuntimeNs() { return runtime; }

  @Override public long firstRunNs() { return firstRun; }

  @Override public int barrier() { return barrier; }

  @Override public int queueId() { return queue == null ? -1 : queue.id; }
}
