package dev.ghostgym.cluster;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.vector.VectorEnv;
import dev.ghostgym.gym.vector.VectorReset;
import dev.ghostgym.gym.vector.VectorStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The learner's side of environments on a Pekko cluster: the {@link VectorEnv} API over {@code
 * numEnvs} {@link EnvEntity} entities spread by Cluster Sharding. A reset goes to each entity
 * through sharding (which places it); a step sends one {@link EnvGateway.StepBatch} per node
 * holding envs and waits for one answer per node. Same seeds and next-step autoreset as {@code
 * SyncVectorEnv} (reset seeds env i with {@code seed + i}; the autoreset happens on the env's
 * node), so a fault-free run gives the same trajectories as a local vector env. Observations travel
 * as the env's flattened {@code float[]} and are unflattened here into the env's own observation
 * type (exact: one-hot and float32 values survive flatten/unflatten); infos keep the action mask as
 * {@code boolean[]}, numbers arrive as Double and other values as text. Actions are Discrete.
 *
 * <p>Faults: a node that does not answer a batch within the step timeout (it died, is partitioned
 * or left), or that no longer hosts an env, loses those envs. Their episodes end at that step as
 * truncated, with the last observation, reward 0 and {@value #TRUNCATED_REASON} in the info; the
 * next step re-creates each through sharding (on a surviving node) and returns its reset
 * observation, as any autoreset. The reset seed of a re-created env is {@code seed + i + numEnvs *
 * k} for its k-th re-creation (null when resetAll had none). Other envs' episodes go on untouched.
 * Not thread-safe: one caller at a time.
 */
public final class ClusterVectorEnv<O> implements VectorEnv<O, Integer> {
  /** Info key of an episode truncated by a fault: why. */
  public static final String TRUNCATED_REASON = "truncated_reason";

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final String gymId;
  private final Map<String, Object> makeOptions;
  private final int n;
  private final Duration stepTimeout;
  private final Duration resetTimeout;
  private final Space<O> observationSpace;
  private final Space<Integer> actionSpace;
  // per env
  private final ActorRef<EnvGateway.Command>[] gateway;
  private final String[] node;
  private final float[][] lastObs;
  private final boolean[][] lastMask;
  private final boolean[] lost;
  private final boolean[] done;
  private final int[] recreations;
  private Long seed;
  private boolean hasReset;
  private long lostEpisodes;

  /** Uses {@code node}'s step and reset timeouts. */
  public ClusterVectorEnv(
      EnvNode node, String gymId, Map<String, Object> makeOptions, int numEnvs) {
    this(
        node.system(),
        gymId,
        makeOptions,
        numEnvs,
        node.settings().stepTimeout(),
        node.settings().resetTimeout());
  }

  @SuppressWarnings("unchecked")
  public ClusterVectorEnv(
      ActorSystem<?> system,
      String gymId,
      Map<String, Object> makeOptions,
      int numEnvs,
      Duration stepTimeout,
      Duration resetTimeout) {
    if (numEnvs < 1) {
      throw new IllegalArgumentException("numEnvs: expected >= 1, got " + numEnvs);
    }
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.gymId = gymId;
    this.makeOptions = Map.copyOf(makeOptions);
    this.n = numEnvs;
    this.stepTimeout = stepTimeout;
    this.resetTimeout = resetTimeout;
    try (Env<Object, Integer> probe =
        (Env<Object, Integer>) (Env<?, ?>) Gym.make(gymId, makeOptions)) {
      this.observationSpace = (Space<O>) probe.observationSpace();
      this.actionSpace = probe.actionSpace();
    }
    gateway = new ActorRef[n];
    node = new String[n];
    lastObs = new float[n][];
    lastMask = new boolean[n][];
    lost = new boolean[n];
    done = new boolean[n];
    recreations = new int[n];
  }

  @Override
  public int numEnvs() {
    return n;
  }

  @Override
  public Space<O> singleObservationSpace() {
    return observationSpace;
  }

  @Override
  public Space<Integer> singleActionSpace() {
    return actionSpace;
  }

  /** The node (address) hosting env i since its last reset, or null. */
  public String nodeOf(int envId) {
    return node[envId];
  }

  /** Episodes cut short by a lost node or env since construction. */
  public long lostEpisodes() {
    return lostEpisodes;
  }

  @Override
  public VectorReset<O> resetAll(Long seed, Map<String, Object> options) {
    this.seed = seed;
    Arrays.fill(recreations, 0);
    List<CompletableFuture<EnvEntity.ResetDone>> pending = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pending.add(reset(i, seed == null ? null : seed + i, options == null ? Map.of() : options));
    }
    List<O> obs = new ArrayList<>(n);
    List<Map<String, Object>> infos = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      EnvResult r;
      try {
        r = placed(i, pending.get(i).join());
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "env "
                + i
                + " could not be reset on the cluster within "
                + resetTimeout
                + ": "
                + e.getMessage(),
            e);
      }
      if (r.observation() == null) {
        throw new IllegalStateException(
            "env " + i + " failed in reset: " + r.text().get(TRUNCATED_REASON));
      }
      lost[i] = false;
      done[i] = false;
      obs.add(unflatten(r.observation()));
      infos.add(Wire.info(r));
    }
    hasReset = true;
    return new VectorReset<>(obs, infos);
  }

  @Override
  public VectorStep<O> step(Object[] actions) {
    if (!hasReset) {
      throw new IllegalStateException("Cannot call step() on a vector env before resetAll()");
    }
    if (actions.length != n) {
      throw new IllegalArgumentException(
          "step got " + actions.length + " actions for " + n + " envs");
    }
    EnvResult[] results = new EnvResult[n];
    String[] reasons = new String[n];
    // envs lost at an earlier step: re-create through sharding (their autoreset)
    Map<Integer, CompletableFuture<EnvEntity.ResetDone>> recreating = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      if (lost[i]) {
        recreations[i]++;
        recreating.put(
            i, reset(i, seed == null ? null : seed + i + (long) n * recreations[i], Map.of()));
      }
    }
    // everyone else: one batch per node
    Map<ActorRef<EnvGateway.Command>, List<Integer>> byNode = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      if (!lost[i]) {
        byNode.computeIfAbsent(gateway[i], g -> new ArrayList<>()).add(i);
      }
    }
    Map<ActorRef<EnvGateway.Command>, CompletableFuture<EnvGateway.BatchDone>> batches =
        new LinkedHashMap<>();
    for (Map.Entry<ActorRef<EnvGateway.Command>, List<Integer>> e : byNode.entrySet()) {
      int[] ids = e.getValue().stream().mapToInt(Integer::intValue).toArray();
      int[] acts = new int[ids.length];
      for (int k = 0; k < ids.length; k++) {
        acts[k] = ((Number) actions[ids[k]]).intValue();
      }
      CompletionStage<EnvGateway.BatchDone> ask =
          AskPattern.ask(
              e.getKey(),
              replyTo -> new EnvGateway.StepBatch(ids, acts, replyTo),
              stepTimeout,
              system.scheduler());
      batches.put(e.getKey(), ask.toCompletableFuture());
    }
    collectBatches(byNode, batches, results, reasons);
    collectRecreated(recreating, results, reasons);
    return assemble(results, reasons);
  }

  /** Waits for each node's batch answer in turn; a node that fails to answer loses its envs. */
  private void collectBatches(
      Map<ActorRef<EnvGateway.Command>, List<Integer>> byNode,
      Map<ActorRef<EnvGateway.Command>, CompletableFuture<EnvGateway.BatchDone>> batches,
      EnvResult[] results,
      String[] reasons) {
    for (Map.Entry<ActorRef<EnvGateway.Command>, CompletableFuture<EnvGateway.BatchDone>> e :
        batches.entrySet()) {
      List<Integer> ids = byNode.get(e.getKey());
      try {
        List<EnvResult> got = e.getValue().join().results();
        for (EnvResult r : got) {
          if (r.present()) {
            results[r.envId()] = r;
          } else {
            reasons[r.envId()] =
                "env " + r.envId() + " is no longer hosted by node " + node[r.envId()];
          }
        }
      } catch (RuntimeException ex) {
        for (int i : ids) {
          reasons[i] =
              "node "
                  + node[i]
                  + " did not answer within "
                  + stepTimeout
                  + " ("
                  + rootMessage(ex)
                  + ")";
        }
      }
    }
  }

  /** Waits for each re-created env's reset; one that fails stays lost with the reason. */
  private void collectRecreated(
      Map<Integer, CompletableFuture<EnvEntity.ResetDone>> recreating,
      EnvResult[] results,
      String[] reasons) {
    for (Map.Entry<Integer, CompletableFuture<EnvEntity.ResetDone>> e : recreating.entrySet()) {
      int i = e.getKey();
      try {
        EnvResult r = placed(i, e.getValue().join());
        if (r.observation() != null) {
          results[i] = r;
        } else {
          reasons[i] = r.text().get(TRUNCATED_REASON);
        }
      } catch (RuntimeException ex) {
        reasons[i] =
            "env "
                + i
                + " could not be re-created within "
                + resetTimeout
                + " ("
                + rootMessage(ex)
                + ")";
      }
    }
  }

  private VectorStep<O> assemble(EnvResult[] results, String[] reasons) {
    List<O> obs = new ArrayList<>(n);
    List<Map<String, Object>> infos = new ArrayList<>(n);
    double[] rewards = new double[n];
    boolean[] terminated = new boolean[n];
    boolean[] truncated = new boolean[n];
    for (int i = 0; i < n; i++) {
      EnvResult r = results[i];
      if (r != null && r.observation() != null) {
        lost[i] = false;
        obs.add(unflatten(r.observation()));
        infos.add(Wire.info(r));
        rewards[i] = r.reward();
        terminated[i] = r.terminated();
        truncated[i] = r.truncated();
        lastObs[i] = r.observation();
        lastMask[i] = r.actionMask();
      } else {
        // the episode ends here: truncated, last observation, the reason in the info
        String reason =
            reasons[i] != null
                ? reasons[i]
                : r != null ? r.text().get(TRUNCATED_REASON) : "env " + i + " got no answer";
        lost[i] = r == null;
        if (!done[i]) {
          lostEpisodes++;
        }
        obs.add(unflatten(lastObs[i]));
        infos.add(Wire.truncatedInfo(lastMask[i], reason));
        truncated[i] = true;
      }
      done[i] = terminated[i] || truncated[i];
    }
    return new VectorStep<>(obs, rewards, terminated, truncated, infos);
  }

  private CompletableFuture<EnvEntity.ResetDone> reset(
      int i, Long envSeed, Map<String, Object> options) {
    return AskPattern.<EnvEntity.Command, EnvEntity.ResetDone>ask(
            sharding.entityRefFor(EnvEntity.KEY, Integer.toString(i)),
            replyTo -> new EnvEntity.Reset(i, gymId, makeOptions, envSeed, options, replyTo),
            resetTimeout,
            system.scheduler())
        .toCompletableFuture();
  }

  private EnvResult placed(int i, EnvEntity.ResetDone d) {
    gateway[i] = d.gateway();
    node[i] = d.node();
    if (d.result().observation() != null) {
      lastObs[i] = d.result().observation();
      lastMask[i] = d.result().actionMask();
    }
    return d.result();
  }

  private O unflatten(float[] flat) {
    return flat == null ? null : observationSpace.unflattenFrom(flat, 0);
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  /** The cluster's envs are not closed by the learner: they stop with their nodes. */
  @Override
  public void close() {}
}
