package dev.ghostgym.sim;

/**
 * Linux CFS for the tasks outside the enclave (antagonists, departed tasks, everything after the
 * enclave is destroyed), following kernel/sched/fair.c of the 5.x kernels ghOSt runs on: vruntime
 * advanced by update_curr, new and woken tasks placed by place_entity, the running task preempted
 * when it used its sched_slice (check_preempt_tick) or when a woken task is far enough behind it
 * (check_preempt_wakeup), and a periodic balancer that moves a waiting task from the busiest
 * runqueue to a CPU with no CFS work. See docs/FIDELITY.md §3 for what is simplified.
 */
final class FairClass {
  /** How a task reaches a runqueue: fork (START_DEBIT), wakeup (sleeper credit), migration. */
  enum Enqueue {
    INITIAL,
    WAKEUP,
    MIGRATE
  }

  /** Interval of the periodic balancer: one tick at HZ=250, when an idle CPU would pull. */
  static final long BALANCE_NS = 4_000_000;

  private final Machine m;
  private final long minGran, latency, wakeupGran;
  private boolean balancePending;

  FairClass(Machine m) {
    this.m = m;
    // SimConfig.cfsSliceNs is the scaled sysctl_sched_min_granularity; the kernel derives the
    // other two from the same base values with the same scale factor.
    this.minGran = m.cfg.cfsSliceNs();
    this.latency = minGran * FairMath.NR_LATENCY;
    this.wakeupGran = minGran * FairMath.BASE_WAKEUP_GRANULARITY / FairMath.BASE_MIN_GRANULARITY;
  }

  /** update_curr: charge the running CFS task's runtime since its last update as vruntime. */
  void updateCurr(SimCpu c) {
    SimTask t = c.cfsRq.curr;
    if (t == null) return;
    if (m.now > t.vrStamp) {
      t.vruntime += FairMath.calcDeltaFair(m.now - t.vrStamp, t.weight);
      t.vrStamp = m.now;
    }
    c.cfsRq.updateMinVruntime(t.vruntime, true);
  }

  /** set_next_entity: {@code t} (already out of the tree) becomes the CPU's running CFS task. */
  void setCurr(SimCpu c, SimTask t) {
    c.cfsRq.curr = t;
    t.vrStamp = t.runStart; // the context switch before runStart is not the task's runtime
    t.sliceStart = t.runStart;
    armSlice(c);
  }

  /** put_prev_entity's accounting: the running CFS task leaves the CPU (blocks, exits, waits). */
  void clearCurr(SimCpu c, SimTask t) {
    if (c.cfsRq.curr != t)
      throw new IllegalStateException(
          "CFS task " + t.gtid + " stops on CPU " + c.id + " but is not its curr");
    updateCurr(c);
    c.cfsRq.curr = null;
    c.cfsRq.load -= t.weight;
    c.cfsEpoch++;
  }

  /** A task stopped while runnable goes back into its CPU's tree with the vruntime it has. */
  void requeue(SimCpu c, SimTask t) {
    c.cfsRq.add(t);
    c.cfsRq.updateMinVruntime(0, false);
  }

  /** A task that leaves ghOSt while on CPU c continues there as c's running CFS task. */
  void adoptCurrent(SimCpu c, SimTask t) {
    t.cfsCpu = c.id;
    t.vruntime = Math.max(t.vruntime, c.cfsRq.minVruntime);
    c.cfsRq.load += t.weight;
    c.cfsRq.curr = t;
    t.vrStamp = Math.max(t.runStart, m.now); // its runtime in ghOSt is not CFS vruntime
    t.sliceStart = t.vrStamp;
    armSlice(c);
  }

  /** enqueue_entity: update_curr, place (or renormalise a migrating task), insert. */
  void enqueue(SimCpu c, SimTask t, Enqueue how) {
    CfsRunQueue rq = c.cfsRq;
    updateCurr(c);
    if (t.cfsCpu >= 0 && t.cfsCpu != c.id) {
      // The kernel keeps vruntime relative to min_vruntime while a task moves between runqueues.
      t.vruntime += rq.minVruntime - m.cpus[t.cfsCpu].cfsRq.minVruntime;
    }
    t.cfsCpu = c.id;
    if (how == Enqueue.INITIAL) {
      // place_entity(initial) with START_DEBIT: a new task starts one vslice after min_vruntime,
      // so forking cannot buy CPU time (sched_vslice = calc_delta_fair(sched_slice)).
      long slice = FairMath.slice(rq.nrRunning() + 1, rq.load + t.weight, t.weight, minGran);
      t.vruntime = rq.minVruntime + FairMath.calcDeltaFair(slice, t.weight);
    } else if (how == Enqueue.WAKEUP) {
      // place_entity(!initial) with GENTLE_FAIR_SLEEPERS: a sleeper gets at most half a latency
      // period of credit, and never gains by sleeping if it was already behind.
      t.vruntime = Math.max(t.vruntime, rq.minVruntime - latency / 2);
    }
    rq.add(t);
    rq.updateMinVruntime(rq.curr == null ? 0 : rq.curr.vruntime, rq.curr != null);
    if (rq.nrRunning() >= 2) armBalance();
  }

  /** check_preempt_wakeup: does the newly queued {@code t} preempt c's running CFS task? */
  boolean preemptsCurr(SimCpu c, SimTask t) {
    SimTask curr = c.cfsRq.curr;
    if (curr == null) return false;
    return FairMath.wakeupPreemptEntity(curr.vruntime, t.vruntime, t.weight, wakeupGran) == 1;
  }

  /** The running task's ideal slice now (sched_slice over the current load). */
  long idealSlice(SimCpu c, SimTask curr) {
    CfsRunQueue rq = c.cfsRq;
    return FairMath.slice(rq.nrRunning(), rq.load, curr.weight, minGran);
  }

  /** Arms check_preempt_tick for the running CFS task's slice end, when someone waits. */
  void armSlice(SimCpu c) {
    SimTask curr = c.cfsRq.curr;
    c.cfsEpoch++;
    if (curr == null || c.cfsRq.isEmpty()) return;
    long at = Math.max(m.now, curr.sliceStart + idealSlice(c, curr));
    m.events.add(at, Machine.EV_CFS_SLICE, c, c.cfsEpoch);
  }

  /**
   * check_preempt_tick at the slice end: the running task has had its ideal runtime, so the
   * leftmost waiting task gets the CPU, unless the running task is strictly the leftmost (then the
   * kernel would pick it again: it keeps the CPU and starts a new slice without a switch; on a tie
   * the waiting task wins, as an equal key goes right of it in the rbtree).
   */
  void sliceEnd(SimCpu c, int epoch) {
    SimTask curr = c.cfsRq.curr;
    if (epoch != c.cfsEpoch || curr == null || c.current != curr || c.cfsRq.isEmpty()) return;
    updateCurr(c);
    long ideal = idealSlice(c, curr);
    if (m.now - curr.sliceStart < ideal) {
      armSlice(c);
      return;
    }
    if (c.cfsRq.tree.first().vruntime > curr.vruntime) {
      curr.sliceStart = m.now;
      armSlice(c);
      return;
    }
    m.dispatch.stopTask(c, curr);
    m.accounting.becomeRunnable(curr);
    requeue(c, curr);
    m.dispatch.resched(c);
  }

  private void armBalance() {
    if (balancePending) return;
    balancePending = true;
    m.events.add(m.now + BALANCE_NS, Machine.EV_CFS_BALANCE, this, 0);
  }

  /**
   * The periodic balancer, much simpler than load_balance(): every BALANCE_NS, each CPU with no CFS
   * task (fully idle CPUs first, then those running only ghOSt work, each by id) pulls one waiting
   * task, the one queued last (highest vruntime), from the runqueue with the most CFS tasks (at
   * least two; ties to the lower id). No scheduling domains, no load averages (PELT), no imbalance
   * computation, no newidle or wakeup-time balancing, no cache-hot checks.
   */
  void balance() {
    balancePending = false;
    boolean again = false;
    for (int pass = 0; pass < 2; pass++) {
      for (int id : m.enclaveCpus) {
        SimCpu dst = m.cpus[id];
        if (dst.cfsRq.nrRunning() > 0 || fullyIdle(dst) != (pass == 0)) continue;
        SimCpu src = busiest();
        if (src == null) break;
        SimTask t = src.cfsRq.tree.last();
        if (!t.allowedOn(dst.id)) continue; // can_migrate_task: its affinity keeps it there
        src.cfsRq.remove(t);
        m.classSwitch.cfsEnqueue(dst, t, Enqueue.MIGRATE);
      }
    }
    for (int id : m.enclaveCpus) if (m.cpus[id].cfsRq.nrRunning() >= 2) again = true;
    if (again) armBalance();
  }

  private boolean fullyIdle(SimCpu c) {
    return c.current == null && c.latched == null && !c.agentActive();
  }

  private SimCpu busiest() {
    SimCpu best = null;
    for (int id : m.enclaveCpus) {
      SimCpu c = m.cpus[id];
      if (c.cfsRq.nrRunning() < 2 || c.cfsRq.isEmpty()) continue;
      if (best == null || c.cfsRq.nrRunning() > best.cfsRq.nrRunning()) best = c;
    }
    return best;
  }
}
