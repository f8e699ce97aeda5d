package dev.ghostgym.learn;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.vector.SyncVectorEnv;
import dev.ghostgym.gym.vector.VectorEnv;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What to train on and for how long, shared by the algorithms (their hyper-parameters are in their
 * own config records).
 *
 * @param options environment options ({@code workload}, {@code cpus}, {@code slice}, {@code load},
 *     ...)
 * @param steps environment steps in total (a resumed run counts the steps already done)
 * @param out checkpoint, CSV and PNG directory, or null to keep nothing
 * @param evalEvery evaluate (and checkpoint) every this many steps; 0 = only at the end
 * @param evalSeeds held-out simulation seeds for evaluation (never used in training)
 * @param progress where progress lines go, or null
 * @param stop asked at every safe point (after a PPO update, after a DQN step): true stops the run
 *     there with a checkpoint of the current step and a {@link TrainStopped}
 * @param vectorEnvs makes the training envs from their count (e.g. a cluster's), or null for a
 *     local SyncVectorEnv; evaluation always runs locally
 * @param rolloutGroups the rollout's envs in this many contiguous groups, each with its own forward
 *     pass, so that on a {@link dev.ghostgym.gym.vector.PipelinedVectorEnv} (a cluster's) one group
 *     steps while the learner acts on another (1: one batched step of every env, the default)
 */
public record TrainSpec(
    String envId,
    Map<String, Object> options,
    long seed,
    long steps,
    Path out,
    boolean resume,
    long evalEvery,
    long[] evalSeeds,
    PrintStream progress,
    BooleanSupplier stop,
    IntFunction<VectorEnv<Map<String, Object>, Integer>> vectorEnvs,
    int rolloutGroups) {
  public TrainSpec {
    if (rolloutGroups < 1) {
      throw new IllegalArgumentException("rolloutGroups: expected >= 1, got " + rolloutGroups);
    }
  }

  /** A run that is never asked to stop early. */
  public TrainSpec(
      String envId,
      Map<String, Object> options,
      long seed,
      long steps,
      Path out,
      boolean resume,
      long evalEvery,
      long[] evalSeeds,
      PrintStream progress) {
    this(envId, options, seed, steps, out, resume, evalEvery, evalSeeds, progress, () -> false);
  }

  /** Training envs made locally. */
  public TrainSpec(
      String envId,
      Map<String, Object> options,
      long seed,
      long steps,
      Path out,
      boolean resume,
      long evalEvery,
      long[] evalSeeds,
      PrintStream progress,
      BooleanSupplier stop) {
    this(envId, options, seed, steps, out, resume, evalEvery, evalSeeds, progress, stop, null, 1);
  }

  /** The same spec, training on the envs {@code vectorEnvs} makes. */
  public TrainSpec withVectorEnvs(IntFunction<VectorEnv<Map<String, Object>, Integer>> vectorEnvs) {
    return with(vectorEnvs, rolloutGroups);
  }

  /** The same spec with the rollout's envs in {@code groups} groups (see {@code rolloutGroups}). */
  public TrainSpec withRolloutGroups(int groups) {
    return with(vectorEnvs, groups);
  }

  private TrainSpec with(IntFunction<VectorEnv<Map<String, Object>, Integer>> envs, int groups) {
    return new TrainSpec(
        envId, options, seed, steps, out, resume, evalEvery, evalSeeds, progress, stop, envs,
        groups);
  }

  /**
   * {@code n} copies of the environment, stepped as a batch: {@link #vectorEnvs} if set, else a
   * local SyncVectorEnv.
   */
  @SuppressWarnings("unchecked")
  public VectorEnv<Map<String, Object>, Integer> vectorEnv(int n) {
    if (vectorEnvs != null) return vectorEnvs.apply(n);
    List<Supplier<Env<Map<String, Object>, Integer>>> fns = new ArrayList<>();
    for (int i = 0; i < n; i++) fns.add(() -> Gym.make(envId, options));
    return new SyncVectorEnv<>(fns);
  }

  /** Evaluation seeds far from any training seed. */
  public static long[] heldOutSeeds(int n) {
    long[] s = new long[n];
    for (int i = 0; i < n; i++) s[i] = 1_000_001L + i;
    return s;
  }
}
