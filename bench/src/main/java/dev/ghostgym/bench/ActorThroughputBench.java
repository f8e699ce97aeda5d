package dev.ghostgym.bench;

import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.enclave.ActorAgents;
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
 * Simulated ghOSt kernel messages per wall-clock second with the agents as Pekko actors ({@link
 * ActorAgents}: every activation is a tell to the CPU's agent actor and a reply, run on the
 * caller-runs dispatcher) against the same simulation with the agents as plain calls ({@code
 * Policies.create}). One whole simulation per invocation; the messages it produced are counted by
 * an auxiliary counter so JMH reports them as a rate ({@code messages} in ops/s). Both benchmarks
 * run the same seeds, so they simulate the same runs.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar ActorThroughput}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ActorThroughputBench {
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
    public long activations;

    @Setup(Level.Iteration)
    public void clear() {
      messages = 0;
      activations = 0;
    }
  }

  @Setup
  public void setup() {
    w = Workloads.load(workload, Map.of(), cpus);
    ActorAgents.sharedSystem(); // created once per JVM, not per run
  }

  private SimConfig config() {
    return SimConfig.of(cpus, ++seed, Overheads.parse(overheads), tasks);
  }

  private static String count(SimResult r, Counters c) {
    c.messages += r.metrics().messagesTotal();
    c.activations += r.metrics().agentActivations();
    return r.traceSha256();
  }

  @Benchmark
  public String plain(Counters c) {
    return count(new Machine(config(), w, Policies.create(policy, Map.of(), seed)).run(), c);
  }

  @Benchmark
  public String actors(Counters c) {
    try (ActorAgents agents = ActorAgents.create(policy, Map.of(), seed)) {
      return count(agents.bind(new Machine(config(), w, agents)).run(), c);
    }
  }
}
