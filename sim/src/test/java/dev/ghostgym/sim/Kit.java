package dev.ghostgym.sim;

import dev.ghostgym.abi.Gtid;
import dev.ghostgym.config.Arrival;
import dev.ghostgym.config.Dists;
import dev.ghostgym.config.Program;
import dev.ghostgym.config.Source;
import dev.ghostgym.config.Step;
import dev.ghostgym.config.TaskTemplate;
import dev.ghostgym.config.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small exact workloads and configs for the simulator tests: const durations, fixed arrival times,
 * zero overheads (so every time in a test is a sum of the durations it declares).
 */
final class Kit {
  private Kit() {}

  static final long US = 1_000;
  static final long MS = 1_000_000;

  /** No cost at all, and agents sit on the task CPUs (no extra CPU for an ideal global agent). */
  static final Overheads ZERO = new Overheads("zero", 0, 0, 0, 0, 0, 0, 0, true);

  /** Only a local schedule costs something: a local commit lands {@code ns} after the agent ran. */
  static Overheads localScheduleCost(long ns) {
    return new Overheads("local-" + ns, 0, 0, 0, ns, 0, 0, 0, true);
  }

  /** Only the target side of a remote commit costs something: an IPI delivery, then a switch. */
  static Overheads remoteTargetCost(long ipiNs, long switchNs) {
    return new Overheads("remote-target", 0, 0, 0, 0, 0, 0, 0, true, ipiNs, switchNs, 0, 0);
  }

  static Step run(long ns) {
    return new Step.Run(new Dists.Const(ns));
  }

  static Step sleep(long ns) {
    return new Step.Sleep(new Dists.Const(ns));
  }

  static Step yieldCpu() {
    return Step.Yield.INSTANCE;
  }

  static TaskTemplate ghost(Step... steps) {
    return new TaskTemplate("ghost", true, 0, 0, null, new Program(List.of(steps)));
  }

  static TaskTemplate cfs(Step... steps) {
    return new TaskTemplate("cfs", false, 0, 0, null, new Program(List.of(steps)));
  }

  /** A source whose tasks arrive exactly at these times. */
  static Source at(TaskTemplate t, long... timesNs) {
    List<Long> times = new ArrayList<>();
    for (long x : timesNs) times.add(x);
    return new Source(t.className() + "@" + times, new Arrival.Fixed(times), t);
  }

  static Workload workload(Source... sources) {
    return new Workload("test", "hand-built test workload", List.of(sources), Map.of());
  }

  /** {@code cpus} CPUs, zero overheads, invariants checked, no ticks. */
  static SimConfig config(int cpus) {
    return config(cpus, ZERO);
  }

  static SimConfig config(int cpus, Overheads overheads) {
    return SimConfig.of(cpus, 1, overheads, 1_000_000).withInvariants(true);
  }

  /**
   * The gtid of the n-th task created in a run (1-based): the simulator packs tid n, generation 0.
   */
  static long gtid(int n) {
    return Gtid.of(n, 0);
  }
}
