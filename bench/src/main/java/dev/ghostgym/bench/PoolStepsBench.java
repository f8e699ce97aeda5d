package dev.ghostgym.bench;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.vector.PoolBatch;
import dev.ghostgym.gym.vector.PoolVectorEnv;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 17's goal for the EnvPool-style {@link PoolVectorEnv}: with {@code numEnvs = 2 x cores} and
 * {@code batchSize = cores}, at least 80% of the aggregate env-steps/s of independent single envs,
 * one per core ({@code independent}: {@code cores} JMH threads, each stepping its own env in a
 * plain loop; JMH sums their counters). Both step ghost/SeedCompat-v0 on rocksdb-shinjuku, 4 CPUs,
 * with FIFO's action (the last valid position), as {@link GymStepsBench}; the learner's work in
 * {@code pool} is choosing those actions. The ratio is {@code pool.envSteps /
 * independent.envSteps}.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar PoolSteps -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PoolStepsBench {
  private static final Map<String, Object> OPTIONS =
      Map.of("workload", "rocksdb-shinjuku", "cpus", 4, "tasks", 20_000);
  static final int CORES = Runtime.getRuntime().availableProcessors();

  @SuppressWarnings("unchecked")
  static Env<Object, Integer> make() {
    return (Env<Object, Integer>) (Env<?, ?>) Gym.make("ghost/SeedCompat-v0", OPTIONS);
  }

  /** Env-steps per iteration, reported by JMH as a rate (summed over threads). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long envSteps;

    @Setup(Level.Iteration)
    public void clear() {
      envSteps = 0;
    }
  }

  /** One env per JMH thread. */
  @State(Scope.Thread)
  public static class Single {
    Env<Object, Integer> env;
    Map<String, Object> info;
    long seed;

    @Setup
    public void setup() {
      env = make();
      seed = 1000L * Thread.currentThread().getId();
      info = env.reset(++seed, null).info();
    }

    @TearDown
    public void close() {
      env.close();
    }
  }

  /** The pool, driven by one learner thread: recv a batch, choose its actions, send them back. */
  @State(Scope.Thread)
  public static class Pool {
    /**
     * help: cores - 1 env threads and a learner that steps while it waits (the default); wait:
     * cores env threads.
     */
    @Param({"help", "wait"})
    String learner;

    PoolVectorEnv<Object, Integer> pool;
    Object[] actions = new Object[CORES];
    int[] ids = new int[CORES];

    @Setup
    public void setup() {
      List<Supplier<Env<Object, Integer>>> fns = new ArrayList<>();
      for (int i = 0; i < 2 * CORES; i++) fns.add(PoolStepsBench::make);
      pool =
          learner.equals("help")
              ? new PoolVectorEnv<>(fns, CORES)
              : new PoolVectorEnv<>(fns, CORES, CORES, 50_000, false);
      pool.asyncReset(1000L, null);
    }

    @TearDown
    public void close() {
      while (pool.inFlight() >= pool.batchSize()) pool.recv();
      pool.close();
    }
  }

  @Benchmark
  @Threads(Threads.MAX)
  public double independent(Single s, Counters c) {
    Step<Object> step = s.env.step(GymStepsBench.lastValid(s.info));
    s.info = step.info();
    if (step.terminated() || step.truncated()) s.info = s.env.reset(++s.seed, null).info();
    c.envSteps++;
    return step.reward();
  }

  @Benchmark
  @Threads(1)
  public double pool(Pool p, Counters c) {
    PoolBatch<Object> b = p.pool.recv();
    int k = b.size();
    for (int i = 0; i < k; i++) {
      p.ids[i] = b.envId(i);
      p.actions[i] = GymStepsBench.lastValid(b.info(i));
    }
    p.pool.send(p.actions, p.ids, k);
    c.envSteps += k;
    return b.size();
  }
}
