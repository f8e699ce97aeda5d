package dev.ghostgym.sim;

import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.config.Arrival;
import dev.ghostgym.config.Source;
import dev.ghostgym.config.TaskTemplate;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Arrivals: the workload's sources (Poisson, fixed times, worker pools) and the creation of each
 * task, which draws its random stream, enters the system and announces itself with TASK_NEW (or
 * goes to CFS when it is not an enclave task or the enclave is gone).
 */
final class Arrivals {
  private final Machine m;
  final SourceState[] sources;
  long openCreated;
  int nextTid = 1;

  Arrivals(Machine m, List<Source> srcs, long seed) {
    this.m = m;
    this.sources = new SourceState[srcs.size()];
    for (int i = 0; i < srcs.size(); i++) {
      sources[i] = new SourceState(i, srcs.get(i), seed);
      if (srcs.get(i).arrival() instanceof Arrival.WorkerPool)
        sources[i].pool = new WorkerPool(m, sources[i]);
    }
  }

  /** Per-source generator state. */
  static final class SourceState {
    final int index;
    final Source source;
    final SplittableRandom arrivals;
    final boolean finite;
    long created;
    int fixedNext;
    WorkerPool pool; // for a worker-pool source

    SourceState(int index, Source source, long seed) {
      this.index = index;
      this.source = source;
      this.arrivals = new SplittableRandom(Machine.mix(seed, index, -1));
      this.finite = Double.isFinite(source.template().program().meanServiceNs());
    }
  }

  boolean arrivalsDone() {
    for (SourceState s : sources) {
      Arrival a = s.source.arrival();
      if (a instanceof Arrival.Poisson || a instanceof Arrival.WorkerPool) {
        if (m.cfg.maxTasks() == 0 || openCreated < m.cfg.maxTasks()) return false;
      } else if (a instanceof Arrival.Fixed f) {
        if (s.fixedNext < f.timesNs().size()
            && (m.cfg.maxTasks() == 0 || openCreated < m.cfg.maxTasks())) return false;
      }
    }
    return true;
  }

  void startSource(SourceState s) {
    Arrival a = s.source.arrival();
    if (a instanceof Arrival.Poisson) {
      scheduleNextPoisson(s);
    } else if (a instanceof Arrival.Fixed f) {
      if (!f.timesNs().isEmpty()) m.events.add(f.timesNs().get(0), Machine.EV_ARRIVAL, s, 0);
    } else if (a instanceof Arrival.Pool p) {
      for (int i = 0; i < p.workers(); i++) createTask(s, s.source.template(), Gtid.NULL, null);
    } else if (a instanceof Arrival.WorkerPool p) {
      for (int i = 0; i < p.workers(); i++) createTask(s, s.source.template(), Gtid.NULL, null);
      scheduleNextPoisson(s);
    }
  }

  void scheduleNextPoisson(SourceState s) {
    if (m.cfg.maxTasks() > 0 && openCreated >= m.cfg.maxTasks()) return;
    double rate =
        s.source.arrival() instanceof Arrival.WorkerPool p
            ? p.ratePerSecond()
            : ((Arrival.Poisson) s.source.arrival()).ratePerSecond();
    double u = s.arrivals.nextDouble();
    long gap = (long) Math.ceil(-Math.log1p(-u) / rate * 1e9);
    m.events.add(m.now + Math.max(gap, 1), Machine.EV_ARRIVAL, s, 0);
  }

  void arrive(SourceState s) {
    if (m.cfg.maxTasks() > 0 && openCreated >= m.cfg.maxTasks()) return;
    openCreated++;
    Arrival a = s.source.arrival();
    if (s.pool != null) {
      SplittableRandom rng = new SplittableRandom(Machine.mix(m.cfg.seed(), s.index, s.created));
      s.created++;
      TaskTemplate tmpl = s.source.template();
      long deadline =
          tmpl.deadline() == null ? Long.MAX_VALUE : m.now + tmpl.deadline().sample(rng);
      s.pool.arrive(new WorkerPool.Request(m.now, rng, deadline));
    } else {
      createTask(s, s.source.template(), Gtid.NULL, null);
    }
    if (a instanceof Arrival.Poisson || a instanceof Arrival.WorkerPool) {
      scheduleNextPoisson(s);
    } else if (a instanceof Arrival.Fixed f) {
      s.fixedNext++;
      if (s.fixedNext < f.timesNs().size()) {
        m.events.add(Math.max(m.now, f.timesNs().get(s.fixedNext)), Machine.EV_ARRIVAL, s, 0);
      }
    }
  }

  SimTask createTask(SourceState s, TaskTemplate tmpl, long parentGtid, SimTask parent) {
    SplittableRandom rng =
        parent != null
            ? parent.rng.split()
            : new SplittableRandom(Machine.mix(m.cfg.seed(), s.index, s.created));
    s.created++;
    long deadline = tmpl.deadline() == null ? Long.MAX_VALUE : m.now + tmpl.deadline().sample(rng);
    long gtid = Gtid.of(nextTid++, 0);
    SimTask t = new SimTask(gtid, parentGtid, tmpl, s.index, rng, m.now, deadline);
    if (s.pool != null && parent == null) {
      // A worker thread: it starts with no request (it blocks at once when it first runs) and is
      // not a job of its own; the requests it serves are counted instead.
      t.pool = s.pool;
      t.cursor = new ProgramCursor(List.of());
    }
    if (m.observer != null)
      m.observer.onTaskNew(m.now, gtid, parentGtid, tmpl.className(), tmpl.enclave());
    m.programs.prefetch(t);
    m.accounting.becomeRunnable(t);
    m.tasks.put(gtid, t);
    if (t.pool == null) {
      m.metrics.taskArrived();
      m.accounting.accountInSystem();
      m.accounting.inSystem++;
      if (Double.isFinite(tmpl.program().meanServiceNs())) m.accounting.pendingFinite++;
      else m.accounting.liveInfinite++;
    }
    m.trace.record(Machine.TR_ARRIVE, m.now, gtid, s.index, tmpl.enclave() ? 1 : 0);
    if (t.ghost) {
      t.queue = m.enclaveAlive ? m.defaultQueue : null;
      if (!m.enclaveAlive) {
        t.ghost = false;
      } else {
        m.messaging.produceTask(
            t,
            MessageType.TASK_NEW,
            new TaskNew(gtid, parentGtid, 0, true, tmpl.nice(), swInfo(t), 0));
        // The application writes the thread's PrioTable entry once the thread exists. A pool
        // worker's says RUNNABLE too: it has to run to mark itself idle and block (the futex
        // variant), and the dispatcher hands requests only to workers that did.
        m.prioTable.write(gtid, tmpl.hint(), true, deadlineOf(t));
        return t;
      }
    }
    m.classSwitch.cfsEnqueue(m.classSwitch.cfsHome(t), t, FairClass.Enqueue.INITIAL);
    return t;
  }

  static SwInfo swInfo(SimTask t) {
    return new SwInfo(0, Gtid.tid(t.gtid));
  }

  /** The deadline an application writes into a sched item: absolute ns, 0 when there is none. */
  static long deadlineOf(SimTask t) {
    return t.deadlineAbs == Long.MAX_VALUE ? 0 : t.deadlineAbs;
  }
}
