package dev.ghostgym.bench;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.vector.ActorVectorEnv;
import dev.ghostgym.gym.vector.AsyncVectorEnv;
import dev.ghostgym.gym.vector.SyncVectorEnv;
import dev.ghostgym.gym.vector.VectorEnv;
import dev.ghostgym.gym.vector.VectorStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Environment steps per second on rocksdb-shinjuku, 4 CPUs: one ghost/SeedCompat-v0 env driven from
 * a plain Java loop ({@code single}), and 16 envs stepped as a batch ({@code vector}; sync,
 * thread-pool async, or actor-backed), counting env-steps. The action is the last valid position
 * (FIFO's choice), so the work per step is the simulation's, not the chooser's.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar GymSteps}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GymStepsBench {
  private static final Map<String, Object> OPTIONS =
      Map.of("workload", "rocksdb-shinjuku", "cpus", 4, "tasks", 20_000);

  @Param({"ghost/SeedCompat-v0"})
  String env;

  @Param({"sync", "async", "actors"})
  String vector;

  private Env<Object, Integer> single;
  private Map<String, Object> info;
  private VectorEnv<Object, Integer> batch;
  private Object[] actions;
  private List<Map<String, Object>> infos;
  private long seed;

  /** Env-steps per iteration, reported by JMH as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long envSteps;

    @Setup(Level.Iteration)
    public void clear() {
      envSteps = 0;
    }
  }

  @SuppressWarnings("unchecked")
  private Env<Object, Integer> make() {
    return (Env<Object, Integer>) (Env<?, ?>) Gym.make(env, OPTIONS);
  }

  @Setup
  public void setup() {
    single = make();
    info = single.reset(++seed, null).info();
    List<Supplier<Env<Object, Integer>>> fns = new ArrayList<>();
    for (int i = 0; i < 16; i++) fns.add(this::make);
    batch =
        switch (vector) {
          case "sync" -> new SyncVectorEnv<>(fns);
          case "async" -> new AsyncVectorEnv<>(fns);
          default -> new ActorVectorEnv<>(fns);
        };
    infos = batch.resetAll(1000L).infos();
    actions = new Object[16];
  }

  @TearDown
  public void close() {
    single.close();
    batch.close();
  }

  static int lastValid(Map<String, Object> info) {
    boolean[] m = (boolean[]) info.get("action_mask");
    for (int i = m.length - 1; i >= 0; i--) if (m[i]) return i;
    return 0;
  }

  @Benchmark
  public double single(Counters c) {
    Step<Object> s = single.step(lastValid(info));
    info = s.info();
    if (s.terminated() || s.truncated()) info = single.reset(++seed, null).info();
    c.envSteps++;
    return s.reward();
  }

  @Benchmark
  public double vector(Counters c) {
    for (int i = 0; i < 16; i++) actions[i] = lastValid(infos.get(i));
    VectorStep<Object> s = batch.step(actions);
    infos = s.infos();
    c.envSteps += 16;
    return s.rewards()[0];
  }
}
