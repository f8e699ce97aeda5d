package dev.ghostgym.sim;

/**
 * Everything about a simulated machine that is not the workload or the agents.
 *
 * @param cpus            CPUs that run tasks (all of them form the enclave)
 * @param seed            fixes every random stream of the run
 * @param overheads       agent and switch costs
 * @param tickPeriodNs    CPU_TICK period when {@code deliverTicks} (kernel HZ; 1 ms at HZ=1000)
 * @param deliverTicks    the enclave tunable deliver_ticks
 * @param cfsSliceNs      CFS time slice between CFS tasks sharing a CPU (sched_min_granularity-like)
 * @param maxTasks        open sources stop creating tasks after this many (0 = no limit)
 * @param durationNs      the run stops at this simulated time (0 = when every finite task is done)
 * @param checkInvariants assert ghost-model.md section 2.14 on every step (slower)
 */
public record SimConfig(int cpus, long seed, Overheads overheads, long tickPeriodNs,
                        boolean deliverTicks, long cfsSliceNs, long maxTasks, long durationNs,
                        boolean checkInvariants) {
  public SimConfig {
    if (cpus < 1 || cpus > 1024) throw new IllegalArgumentException("cpus: expected 1..1024, got " + cpus);
    if (tickPeriodNs <= 0) throw new IllegalArgumentException("tick period: expected > 0, got " + tickPeriodNs);
    if (cfsSliceNs <= 0) throw new IllegalArgumentException("cfs slice: expected > 0, got " + cfsSliceNs);
    if (maxTasks < 0) throw new IllegalArgumentException("tasks: expected >= 0, got " + maxTasks);
    if (durationNs < 0) throw new IllegalArgumentException("duration: expected >= 0, got " + durationNs);
    if (maxTasks == 0 && durationNs == 0) {
      throw new IllegalArgumentException("tasks or duration: one of them must be set (> 0)");
    }
  }

  public static SimConfig of(int cpus, long seed, Overheads overheads, long maxTasks) {
    return new SimConfig(cpus, seed, overheads, 1_000_000, false, 3_000_000, maxTasks, 0, false);
  }

  public SimConfig withDuration(long ns) {
    return new SimConfig(cpus, seed, overheads, tickPeriodNs, deliverTicks, cfsSliceNs, maxTasks, ns, checkInvariants);
  }

  public SimConfig withInvariants(boolean on) {
    return new SimConfig(cpus, seed, overheads, tickPeriodNs, deliverTicks, cfsSliceNs, maxTasks, durationNs, on);
  }

  public SimConfig withTicks(boolean on) {
    return new SimConfig(cpus, seed, overheads, tickPeriodNs, on, cfsSliceNs, maxTasks, durationNs, checkInvariants);
  }
}
