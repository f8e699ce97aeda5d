package dev.ghostgym.bench;

import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Simulated ghOSt kernel messages per wall-clock second: one whole simulation per invocation
 * (workload, agents, metrics, trace hash and all), the messages it produced counted by an auxiliary
 * counter so JMH reports them as a rate ({@code messages} in ops/s).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar SimThroughput}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SimThroughputBench {
  @Param({"rocksdb-shinjuku"})
  String workload;

  @Param({"fifo"})
  String policy;

  @Param({"8"})
  int cpus;

  @Param({"paper"})
  String overheads;

  @Param({"50000"})
  long tasks;

  private Workload w;
  private long seed;

  /** Messages counted per iteration, reported by JMH as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long messages;
    public long events;

    @Setup(Level.Iteration)
    public void clear() {
      messages = 0;
      events = 0;
    }
  }

  @Setup
  public void setup() {
    w = Workloads.load(workload, Map.of(), cpus);
  }

  @Benchmark
  public String simulate(Counters c) {
    SimConfig cfg = SimConfig.of(cpus, ++seed, Overheads.parse(overheads), tasks);
    SimResult r = new Machine(cfg, w, Policies.create(policy)).run();
    c.messages += r.metrics().messagesTotal();
    c.events += r.traceRecords();
    return r.traceSha256();
  }
}
