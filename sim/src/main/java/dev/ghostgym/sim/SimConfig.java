package dev.ghostgym.sim;

/**
 * Everything about a simulated machine that is not the workload or the agents.
 *
 * @param cpus CPUs that run tasks (all of them form the enclave)
 * @param seed fixes every random stream of the run
 * @param overheads agent and switch costs
 * @param tickPeriodNs CPU_TICK period when {@code deliverTicks} (kernel HZ; 1 ms at HZ=1000)
 * @param deliverTicks the enclave tunable deliver_ticks
 * @param cfsSliceNs CFS minimum granularity (sysctl_sched_min_granularity as the kernel scales it
 *     for the CPU count; see {@link #cfsMinGranularityNs}); the scheduling latency is 8x and the
 *     wakeup granularity 4/3x this value
 * @param maxTasks open sources stop creating tasks after this many (0 = no limit)
 * @param durationNs the run stops at this simulated time (0 = when every finite task is done)
 * @param checkInvariants assert docs/KERNEL-MODEL.md section 2.14 on every step (slower)
 */
public record SimConfig(
    int cpus,
    long seed,
    Overheads overheads,
    long tickPeriodNs,
    boolean deliverTicks,
    long cfsSliceNs,
    long maxTasks,
    long durationNs,
    boolean checkInvariants) {
  public SimConfig {
    if (cpus < 1 || cpus > 1024)
      throw new IllegalArgumentException("cpus: expected 1..1024, got " + cpus);
    if (tickPeriodNs <= 0)
      throw new IllegalArgumentException("tick period: expected > 0, got " + tickPeriodNs);
    if (cfsSliceNs <= 0)
      throw new IllegalArgumentException("cfs slice: expected > 0, got " + cfsSliceNs);
    if (maxTasks < 0) throw new IllegalArgumentException("tasks: expected >= 0, got " + maxTasks);
    if (durationNs < 0)
      throw new IllegalArgumentException("duration: expected >= 0, got " + durationNs);
    if (maxTasks == 0 && durationNs == 0) {
      throw new IllegalArgumentException("tasks or duration: one of them must be set (> 0)");
    }
  }

  public static SimConfig of(int cpus, long seed, Overheads overheads, long maxTasks) {
    return new SimConfig(
        cpus, seed, overheads, 1_000_000, false, cfsMinGranularityNs(cpus), maxTasks, 0, false);
  }

  /**
   * The kernel's default sysctl_sched_min_granularity for this many CPUs: 0.75 ms scaled by 1 +
   * log2(min(cpus, 8)), so 3 ms on 8 CPUs or more (the other CFS tunables follow from it).
   */
  public static long cfsMinGranularityNs(int cpus) {
    return FairMath.minGranularity(cpus);
  }

  public SimConfig withDuration(long ns) {
    return new SimConfig(
        cpus,
        seed,
        overheads,
        tickPeriodNs,
        deliverTicks,
        cfsSliceNs,
        maxTasks,
        ns,
        checkInvariants);
  }

  public SimConfig withInvariants(boolean on) {
    return new SimConfig(
        cpus, seed, overheads, tickPeriodNs, deliverTicks, cfsSliceNs, maxTasks, durationNs, on);
  }

  public SimConfig withTicks(boolean on) {
    return new SimConfig(
        cpus, seed, overheads, tickPeriodNs, on, cfsSliceNs, maxTasks, durationNs, checkInvariants);
  }
}
