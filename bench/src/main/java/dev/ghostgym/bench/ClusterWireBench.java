package dev.ghostgym.bench;

import dev.ghostgym.cluster.EnvResult;
import dev.ghostgym.cluster.StepResults;
import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Space;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The wire cost of one node's answer to a step batch (issue 17): {@code envs} real
 * ghost/SeedCompat-v0 results (402 float32 observation values, a mask and 5 info values each)
 * serialized with Pekko's Jackson CBOR serializer and read back. {@code records}: one record per
 * env with its {@code float[]} and info maps (the previous {@code BatchDone(List<EnvResult>)} wrote
 * exactly these); {@code columns}: the {@link StepResults} columns the cluster sends now, including
 * building them and turning them back into results. Time per batch; the bytes per batch are printed
 * at setup.
 *
 * <pre>java -jar bench/target/benchmarks.jar ClusterWire</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClusterWireBench {
  @Param({"32"})
  public int envs;

  private ActorSystem<Void> system;
  private Serialization serialization;
  private List<EnvResult> batch;

  @Setup(Level.Trial)
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void setUp() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "wire-bench");
    serialization = SerializationExtension.get(Adapter.toClassic(system));
    batch = new ArrayList<>();
    Map<String, Object> options =
        Map.of("workload", "rocksdb-shinjuku", "cpus", 4, "tasks", 20_000);
    for (int i = 0; i < envs; i++) {
      Env<Object, Integer> e =
          (Env<Object, Integer>) (Env<?, ?>) Gym.make("ghost/SeedCompat-v0", options);
      e.reset(1000L + i, null);
      Step<Object> s = e.step(0);
      Space space = e.observationSpace();
      Map<String, Double> numbers = new TreeMap<>();
      Map<String, String> text = new TreeMap<>();
      boolean[] mask = null;
      for (Map.Entry<String, Object> x : s.info().entrySet()) {
        if (x.getValue() instanceof boolean[] m) mask = m;
        else if (x.getValue() instanceof Number n) numbers.put(x.getKey(), n.doubleValue());
        else text.put(x.getKey(), String.valueOf(x.getValue()));
      }
      batch.add(
          new EnvResult(
              i,
              true,
              space.flatten(s.observation()),
              s.reward(),
              false,
              false,
              mask,
              numbers,
              text));
    }
    long recordBytes = 0;
    for (EnvResult r : batch) recordBytes += serialization.serialize(r).get().length;
    long columnBytes = serialization.serialize(StepResults.of(batch)).get().length;
    System.out.printf(
        "%nbytes per batch of %d envs: records %d, columns %d%n", envs, recordBytes, columnBytes);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    system.terminate();
  }

  private Object roundTrip(Object o) {
    Serializer s = serialization.findSerializerFor(o);
    byte[] bytes = s.toBinary(o);
    return serialization
        .deserialize(
            bytes, s.identifier(), org.apache.pekko.serialization.Serializers.manifestFor(s, o))
        .get();
  }

  @Benchmark
  public Object records() {
    Object last = null;
    for (EnvResult r : batch) last = roundTrip(r);
    return last;
  }

  @Benchmark
  public Object columns() {
    return ((StepResults) roundTrip(StepResults.of(batch))).results();
  }
}
