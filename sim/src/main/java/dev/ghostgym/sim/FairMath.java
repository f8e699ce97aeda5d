package dev.ghostgym.sim;

/**
 * The arithmetic of Linux's fair class (kernel/sched/fair.c and core.c of the 5.x kernels that
 * ghOSt's kernel is built on, before EEVDF): load weights from nice, virtual runtime, the
 * scheduling period and slice, and the wakeup-preemption test. Pure functions of their arguments,
 * so the tests can check them against the kernel's numbers directly.
 */
final class FairMath {
  private FairMath() {}

  /** NICE_0_LOAD: the weight of a nice-0 task (scale_load_down'd, as in /proc). */
  static final long NICE_0_LOAD = 1024;

  /**
   * sched_prio_to_weight[40] of kernel/sched/core.c, nice -20 .. 19: each step is about 1.25x, so
   * that one nice level moves about 10% of the CPU between two competing tasks.
   */
  private static final long[] PRIO_TO_WEIGHT = {
    /* -20 */ 88761, 71755, 56483, 46273, 36291,
    /* -15 */ 29154, 23254, 18705, 14949, 11916,
    /* -10 */ 9548, 7620, 6100, 4904, 3906,
    /*  -5 */ 3121, 2501, 1991, 1586, 1277,
    /*   0 */ 1024, 820, 655, 526, 423,
    /*   5 */ 335, 272, 215, 172, 137,
    /*  10 */ 110, 87, 70, 56, 45,
    /*  15 */ 36, 29, 23, 18, 15,
  };

  /** The kernel's base tunables before scaling (sysctl_sched_*, in ns). */
  static final long BASE_LATENCY = 6_000_000,
      BASE_MIN_GRANULARITY = 750_000,
      BASE_WAKEUP_GRANULARITY = 1_000_000;

  /** sched_nr_latency = latency / min_granularity: above this many tasks the period grows. */
  static final int NR_LATENCY = 8;

  /** Load weight of a task with this nice value (set_load_weight). */
  static long weight(int nice) {
    if (nice < -20 || nice > 19)
      throw new IllegalArgumentException("nice: expected -20..19, got " + nice);
    return PRIO_TO_WEIGHT[nice + 20];
  }

  /**
   * The factor sched_init_granularity / update_sysctl apply to the base tunables under the default
   * SCHED_TUNABLESCALING_LOG: 1 + ilog2(min(online CPUs, 8)). 1 CPU: 1, 2: 2, 4: 3, 8 or more: 4.
   */
  static long tunableFactor(int cpus) {
    int n = Math.min(Math.max(cpus, 1), 8);
    return 1 + (31 - Integer.numberOfLeadingZeros(n));
  }

  /** The scaled minimum granularity for a machine of this many CPUs (3 ms at 8 CPUs or more). */
  static long minGranularity(int cpus) {
    return BASE_MIN_GRANULARITY * tunableFactor(cpus);
  }

  /** calc_delta_fair: {@code delta} of real runtime as virtual runtime of a task of weight w. */
  static long calcDeltaFair(long delta, long w) {
    return w == NICE_0_LOAD
        ? delta
        : delta * NICE_0_LOAD / w; // no overflow below 100 days of runtime
  }

  /**
   * __sched_period: the latency target, stretched to {@code nr * min_granularity} once more than
   * sched_nr_latency tasks share the runqueue.
   */
  static long period(int nr, long minGranularity) {
    long latency = minGranularity * NR_LATENCY;
    return nr > NR_LATENCY ? nr * minGranularity : latency;
  }

  /** sched_slice: the task's share of the period by weight, {@code period * w / load}. */
  static long slice(int nr, long load, long w, long minGranularity) {
    return period(nr, minGranularity) * w / Math.max(1, load);
  }

  /**
   * wakeup_preempt_entity: 1 when the woken entity should preempt current, that is when current's
   * vruntime is ahead by more than the wakeup granularity converted to the woken task's virtual
   * time (wakeup_gran: calc_delta_fair(sysctl_sched_wakeup_granularity, se)); -1 when the woken
   * task is not behind at all; 0 in between.
   */
  static int wakeupPreemptEntity(
      long currVruntime, long wokenVruntime, long wokenWeight, long wakeupGranularity) {
    long vdiff = currVruntime - wokenVruntime;
    if (vdiff <= 0) return -1;
    long gran = calcDeltaFair(wakeupGranularity, wokenWeight);
    return vdiff > gran ? 1 : 0;
  }
}
