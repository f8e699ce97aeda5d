package dev.ghostgym.bench;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.gym.sched.GhostEnvs;
import dev.ghostgym.learn.Checkpoint;
import dev.ghostgym.learn.Ppo;
import dev.ghostgym.learn.PpoConfig;
import dev.ghostgym.learn.TrainSpec;
import dev.ghostgym.learn.deploy.Deployment;
import dev.ghostgym.learn.deploy.Distiller;
import dev.ghostgym.learn.deploy.FastPolicy;
import dev.ghostgym.learn.deploy.SampleRequests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * One PICK decision of a learned policy in each deployable form, with a full run queue (16 slots)
 * and 4 CPUs: {@code djl} (the DJL network through PyTorch, batch 1), {@code mlp} (the network as
 * float arrays, observation written into a reused buffer, forward pass in Java) and {@code tree}
 * (the distilled tree, one walk per candidate). Reported per decision with percentiles
 * (SampleTime); {@code -prof gc} shows the bytes allocated per decision.
 *
 * <p>The network is {@code -p model=DIR} (a directory written by train and export) or, by default,
 * the default architecture (PPO, 2x64 tanh, PickNext with 30 us slices, 4 CPUs; {@code -p
 * hidden=32x32} for another size) trained for a few hundred steps and exported here: the cost of a
 * network's decision does not depend on its weights. The tree's depends on how many splits are left
 * per candidate once the decision's and the slot's are resolved ({@code CompiledTree}), so it
 * varies with the model.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar Inference -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class InferenceBench {
  @Param({"mlp", "tree", "djl"})
  String form;

  @Param({""})
  String model;

  /** Hidden layers of the network trained in the setup (without {@code model}), e.g. 32x32. */
  @Param({""})
  String hidden;

  private Policy policy;
  private DecisionRequest[] requests;
  private int next;
  private Path temp;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    Path dir;
    if (model.isEmpty()) {
      temp = Files.createTempDirectory("inference-bench");
      dir = temp.resolve("model");
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("workload", "rocksdb-shinjuku");
      o.put("cpus", 4);
      o.put("slice", "30us");
      o.put("tasks", 500);
      Map<String, String> algo = new LinkedHashMap<>(Map.of("numEnvs", "2", "numSteps", "128"));
      if (!hidden.isEmpty()) algo.put("hidden", hidden); // else PPO's default network
      PpoConfig cfg = PpoConfig.withOverrides(algo);
      Ppo.train(
          cfg,
          new TrainSpec(
              GhostEnvs.PICK_NEXT, o, 1, 512, dir, false, 0, TrainSpec.heldOutSeeds(1), null));
      Deployment.export(dir, new Distiller.Settings(2, 1, 2000, 8, 40));
    } else {
      dir = Path.of(model);
    }
    policy = Deployment.load(dir, FastPolicy.Form.parse(form), 0L).policy();
    int cpus =
        Integer.parseInt(String.valueOf(Checkpoint.read(dir).options().getOrDefault("cpus", 4)));
    requests = SampleRequests.make(256, 16, cpus, false, 7);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (policy instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
    if (temp != null) {
      try (var s = Files.walk(temp)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Benchmark
  public int pick() {
    return policy.decide(requests[next++ & 255]);
  }
}
