package dev.ghostgym.sim;

import dev.ghostgym.config.Arrival;
import dev.ghostgym.sim.metrics.TaskRecord;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A worker-pool server ({@link Arrival.WorkerPool}), as the ghOSt paper's RocksDB and Shinjuku
 * experiments run one: a fixed set of worker threads that block waiting for work, and a dispatcher
 * queue that Poisson requests arrive into. A request is handed to the idle worker with the lowest
 * thread id (ghost-userspace experiments/rocksdb/ghost_orchestrator.cc, GetIdleWorkerSIDs scans the
 * workers in SID order), which is woken (TASK_WAKEUP) as the futex variant (ThreadWait kFutex,
 * MarkRunnable) wakes it; when every worker is busy it is queued. A worker that finishes a request
 * takes the next queued one without blocking, or blocks (MarkIdle, WaitUntilRunnable:
 * TASK_BLOCKED). The load generator that dispatches is not simulated: hand-off is instantaneous and
 * costs no CPU. So each request costs one wakeup and one block when the pool has idle workers, and
 * none when it is saturated; TASK_NEW and TASK_DEAD appear only once per worker.
 */
final class WorkerPool {
  /** One request: when it arrived, its own random stream, and its progress in its worker. */
  static final class Request {
    final long arrival;
    final SplittableRandom rng;
    final long deadlineAbs;
    long firstRun = -1;
    long runtimeAtStart;
    int preemptionsAtStart;
    int migrationsAtStart;

    Request(long arrival, SplittableRandom rng, long deadlineAbs) {
      this.arrival = arrival;
      this.rng = rng;
      this.deadlineAbs = deadlineAbs;
    }
  }

  private final Machine m;
  final Arrivals.SourceState source;
  final PriorityQueue<SimTask> idle = new PriorityQueue<>(Comparator.comparingLong(t -> t.gtid));
  final ArrayDeque<Request> queue = new ArrayDeque<>();

  WorkerPool(Machine m, Arrivals.SourceState source) {
    this.m = m;
    this.source = source;
  }

  /** A request arrives: wake the lowest idle worker with it, or queue it. */
  void arrive(Request r) {
    m.metrics.taskArrived();
    m.accounting.accountInSystem();
    m.accounting.inSystem++;
    m.accounting.pendingFinite++;
    SimTask w = idle.poll();
    if (w == null) {
      queue.addLast(r);
      return;
    }
    assign(w, r);
    // The dispatcher marks it runnable with the request's deadline (SetSchedItem), then wakes it
    // once the write is complete (write_end comes before the futex wake).
    m.prioTable.write(w.gtid, w.template.hint(), true, Arrivals.deadlineOf(w));
    long writeNs = m.prioTable.present() ? m.prioTable.writeNs() : 0;
    if (writeNs == 0) m.programs.wake(w);
    else m.at(m.now + writeNs, () -> m.programs.wake(w));
  }

  /** The worker takes request r: its program starts from the first step with r's stream. */
  private void assign(SimTask w, Request r) {
    w.request = r;
    w.cursor = new ProgramCursor(w.template.program().steps());
    w.rng = r.rng;
    w.deadlineAbs = r.deadlineAbs;
    w.pending = null;
    w.remaining = 0;
    r.runtimeAtStart = m.taskRuntime(w.gtid);
    r.preemptionsAtStart = w.preemptions;
    r.migrationsAtStart = w.migrations;
    if (w.state == TaskState.ON_CPU) r.firstRun = m.now;
  }

  /**
   * The worker on CPU c came to the end of its program: finish its request, then take the next
   * queued one (true: continue its program) or go idle (false: the caller blocks it).
   */
  boolean next(SimCpu c, SimTask w) {
    Request done = w.request;
    if (done != null) complete(w, done);
    w.request = null;
    Request r = queue.pollFirst();
    if (r == null) {
      idle.add(w);
      m.prioTable.write(w.gtid, w.template.hint(), false, 0); // MarkIdle, then it blocks
      return false;
    }
    assign(w, r);
    return true;
  }

  private void complete(SimTask w, Request r) {
    long runtime = m.taskRuntime(w.gtid) - r.runtimeAtStart;
    long response = m.now - r.arrival;
    m.accounting.accountInSystem();
    m.accounting.inSystem--;
    m.accounting.pendingFinite--;
    m.metrics.taskCompleted(
        r.arrival,
        m.now,
        runtime,
        response - runtime,
        w.preemptions - r.preemptionsAtStart,
        w.migrations - r.migrationsAtStart);
    if (m.accounting.taskLog != null) {
      m.accounting.taskLog.accept(
          new TaskRecord(
              w.gtid,
              w.template.className(),
              w.template.hint(),
              false,
              r.arrival,
              r.firstRun,
              m.now,
              response - runtime,
              runtime,
              w.preemptions - r.preemptionsAtStart,
              w.migrations - r.migrationsAtStart));
    }
  }
}
