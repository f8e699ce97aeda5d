package dev.ghostgym.cluster;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.vector.PipelinedVectorEnv;
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
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The learner's side of environments on a Pekko cluster: the {@link
 * dev.ghostgym.gym.vector.VectorEnv} API over {@code numEnvs} {@link EnvEntity} entities spread by
 * Cluster Sharding. A reset goes to each entity through sharding (which places it) and names the
 * gateway of the env's node, which the learner then addresses directly. {@link #send} sends one
 * {@link EnvGateway.StepBatch} per node holding some of the given envs and returns at once; {@link
 * #recv} returns the envs of whichever answer comes first (EnvPool's asynchronous mode over nodes);
 * {@link #step} is send-all then receive-all. Answers travel as {@link StepResults} columns. Same
 * seeds and next-step autoreset as {@code SyncVectorEnv} (reset seeds env i with {@code seed + i};
 * the autoreset happens on the env's node), so a fault-free run gives the same trajectories as a
 * local vector env. Observations travel as the env's flattened {@code float[]}; a learner gets them
 * flat ({@link ClusterBatch#flatObservation}) and, only when it asks, unflattened into the env's
 * own observation type (exact: one-hot and float32 values survive flatten/unflatten). Infos are
 * read-only views of the answer's columns ({@link ColumnInfo}): the action mask as {@code
 * boolean[]}, numbers as Double, other values as text. Actions are Discrete.
 *
 * <p>Faults: a node that does not answer a batch within the step timeout (it died, is partitioned
 * or left), or that no longer hosts an env, loses those envs. Their episodes end at that step as
 * truncated, with the last observation, reward 0 and {@value #TRUNCATED_REASON} in the info; the
 * next step re-creates each through sharding (on a surviving node) and returns its reset
 * observation, as any autoreset. The reset seed of a re-created env is {@code seed + i + numEnvs *
 * k} for its k-th re-creation (null when resetAll had none). Other envs' episodes go on untouched.
 * Not thread-safe: one caller at a time.
 */
public final class ClusterVectorEnv<O> implements PipelinedVectorEnv<O> {
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
  private final boolean[] inFlight;
  private int inFlightCount;
  private final LinkedBlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
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
    inFlight = new boolean[n];
  }

  /** One request in flight: a node's step batch, or the re-creation of one lost env. */
  private record Answer(int[] ids, CompletableFuture<?> future, boolean recreation) {}

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
    if (inFlightCount > 0) {
      throw new IllegalStateException("resetAll() with envs in flight: recv() them first");
    }
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

  /**
   * Steps {@code envIds[0..count)} with {@code actions[0..count)} and returns at once: one {@link
   * EnvGateway.StepBatch} per node holding some of them (a lost env is re-created instead, as its
   * autoreset). Their results come back through {@link #recv()}, one node's answer at a time, so a
   * learner can work on the envs of the node that answered first while the others step (EnvPool's
   * asynchronous mode, spread over nodes). An env must not be in flight already.
   */
  @Override
  public void send(int[] actions, int[] envIds, int count) {
    checkSend(envIds, count);
    Map<ActorRef<EnvGateway.Command>, List<Integer>> byNode = new LinkedHashMap<>();
    for (int k = 0; k < count; k++) {
      int i = envIds[k];
      inFlight[i] = true;
      inFlightCount++;
      if (lost[i]) {
        recreations[i]++;
        track(
            new int[] {i},
            reset(i, seed == null ? null : seed + i + (long) n * recreations[i], Map.of()),
            true);
      } else {
        byNode.computeIfAbsent(gateway[i], g -> new ArrayList<>()).add(k);
      }
    }
    for (Map.Entry<ActorRef<EnvGateway.Command>, List<Integer>> e : byNode.entrySet()) {
      List<Integer> ks = e.getValue();
      int[] ids = new int[ks.size()];
      int[] acts = new int[ks.size()];
      for (int j = 0; j < ids.length; j++) {
        ids[j] = envIds[ks.get(j)];
        acts[j] = actions[ks.get(j)];
      }
      CompletionStage<EnvGateway.BatchDone> ask =
          AskPattern.ask(
              e.getKey(),
              replyTo -> new EnvGateway.StepBatch(ids, acts, replyTo),
              stepTimeout,
              system.scheduler());
      track(ids, ask.toCompletableFuture(), false);
    }
  }

  /**
   * The envs of the first answer that arrives (a node's batch, or a re-created env), waiting for
   * one; a node silent for the step timeout answers with its envs truncated. Throws when nothing is
   * in flight.
   */
  @Override
  public ClusterBatch<O> recv() {
    if (inFlightCount == 0) {
      throw new IllegalStateException("recv() with no env in flight: send() first");
    }
    Answer a;
    try {
      a = answers.take(); // every ask has a timeout, so an answer always comes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the cluster", e);
    }
    AnswerRows rows = new AnswerRows(a.ids());
    if (a.recreation()) {
      collectRecreated(a, rows);
    } else {
      collectBatch(a, rows);
    }
    return finish(rows);
  }

  /** Envs sent and not yet returned by {@link #recv()}. */
  @Override
  public int inFlight() {
    return inFlightCount;
  }

  /** The synchronous API on top of send/recv: every env, one batch per node, all answers. */
  @Override
  @SuppressWarnings("unchecked")
  public VectorStep<O> step(Object[] actions) {
    if (!hasReset) {
      throw new IllegalStateException("Cannot call step() on a vector env before resetAll()");
    }
    if (actions.length != n) {
      throw new IllegalArgumentException(
          "step got " + actions.length + " actions for " + n + " envs");
    }
    if (inFlightCount > 0) {
      throw new IllegalStateException("step() with envs in flight: recv() them first");
    }
    int[] ids = new int[n];
    int[] acts = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
      acts[i] = ((Number) actions[i]).intValue();
    }
    send(acts, ids, n);
    float[][] flat = new float[n][];
    Map<String, Object>[] infos = new Map[n];
    double[] rewards = new double[n];
    boolean[] terminated = new boolean[n];
    boolean[] truncated = new boolean[n];
    while (inFlightCount > 0) {
      ClusterBatch<O> b = recv();
      for (int k = 0; k < b.size(); k++) {
        int i = b.envIds()[k];
        flat[i] = b.flatObservations()[k];
        infos[i] = b.infos().get(k);
        rewards[i] = b.rewards()[k];
        terminated[i] = b.terminated()[k];
        truncated[i] = b.truncated()[k];
      }
    }
    return new VectorStep<>(lazy(flat), rewards, terminated, truncated, Arrays.asList(infos));
  }

  private void checkSend(int[] envIds, int count) {
    if (!hasReset) {
      throw new IllegalStateException("Cannot call send() on a vector env before resetAll()");
    }
    if (count < 0 || count > envIds.length) {
      throw new IllegalArgumentException("send: count " + count + " outside 0.." + envIds.length);
    }
    boolean[] seen = new boolean[n];
    for (int k = 0; k < count; k++) {
      int i = envIds[k];
      if (i < 0 || i >= n) {
        throw new IllegalArgumentException("send: env id " + i + " outside 0.." + (n - 1));
      }
      if (inFlight[i] || seen[i]) {
        throw new IllegalArgumentException("send: env " + i + " is already in flight");
      }
      seen[i] = true;
    }
  }

  private void track(int[] ids, CompletableFuture<?> f, boolean recreation) {
    Answer a = new Answer(ids, f, recreation);
    f.whenComplete((x, e) -> answers.add(a));
  }

  /**
   * A node's batch answer, read straight from its columns (no record or map per env); a node that
   * failed to answer loses its envs.
   */
  private void collectBatch(Answer a, AnswerRows rows) {
    int[] ids = a.ids();
    try {
      StepResults sr = ((EnvGateway.BatchDone) a.future().join()).results();
      int obsAt = 0, maskAt = 0;
      for (int j = 0; j < sr.size(); j++) {
        int id = sr.envIds()[j];
        int k = rows.indexOf(j, id);
        byte f = sr.flags(j);
        boolean[] mask = (f & StepResults.HAS_MASK) != 0 ? sr.mask(maskAt++) : null;
        float[] o = (f & StepResults.HAS_OBS) != 0 ? sr.observation(obsAt++) : null;
        if ((f & StepResults.PRESENT) == 0) {
          rows.fault(k, "env " + id + " is no longer hosted by node " + node[id], true);
        } else if (o == null) { // the env failed on its node, which resets it next step
          rows.fault(k, (String) new ColumnInfo(sr, j, null).get(TRUNCATED_REASON), false);
        } else {
          rows.set(
              k,
              o,
              mask,
              new ColumnInfo(sr, j, mask),
              sr.rewards()[j],
              (f & StepResults.TERMINATED) != 0,
              (f & StepResults.TRUNCATED) != 0);
        }
      }
    } catch (RuntimeException ex) {
      for (int k = 0; k < ids.length; k++) {
        rows.fault(
            k,
            "node "
                + node[ids[k]]
                + " did not answer within "
                + stepTimeout
                + " ("
                + rootMessage(ex)
                + ")",
            true);
      }
    }
  }

  /** A re-created env's reset; one that fails stays lost with the reason. */
  private void collectRecreated(Answer a, AnswerRows rows) {
    int i = a.ids()[0];
    try {
      EnvResult r = placed(i, (EnvEntity.ResetDone) a.future().join());
      if (r.observation() != null) {
        rows.set(
            0,
            r.observation(),
            r.actionMask(),
            Wire.info(r),
            r.reward(),
            r.terminated(),
            r.truncated());
      } else {
        rows.fault(0, r.text().get(TRUNCATED_REASON), true);
      }
    } catch (RuntimeException ex) {
      rows.fault(
          0,
          "env "
              + i
              + " could not be re-created within "
              + resetTimeout
              + " ("
              + rootMessage(ex)
              + ")",
          true);
    }
  }

  /** The answer's envs as the learner sees them; a lost env's episode ends here, truncated. */
  private ClusterBatch<O> finish(AnswerRows rows) {
    int[] ids = rows.ids;
    for (int k = 0; k < ids.length; k++) {
      int i = ids[k];
      inFlight[i] = false;
      inFlightCount--;
      if (rows.obs[k] != null) {
        lost[i] = false;
        lastObs[i] = rows.obs[k];
        lastMask[i] = rows.masks[k];
      } else {
        // the episode ends here: truncated, last observation, the reason in the info
        String reason = rows.reasons[k] != null ? rows.reasons[k] : "env " + i + " got no answer";
        lost[i] = rows.gone[k];
        if (!done[i]) {
          lostEpisodes++;
        }
        rows.obs[k] = lastObs[i];
        rows.infos[k] = Wire.truncatedInfo(lastMask[i], reason);
        rows.rewards[k] = 0;
        rows.terminated[k] = false;
        rows.truncated[k] = true;
      }
      done[i] = rows.terminated[k] || rows.truncated[k];
    }
    return new ClusterBatch<>(
        ids.clone(),
        rows.obs,
        lazy(rows.obs),
        rows.rewards,
        rows.terminated,
        rows.truncated,
        Arrays.asList(rows.infos));
  }

  /** The observations of {@code flat}, each built in the env's own type when first asked for. */
  private List<O> lazy(float[][] flat) {
    Object[] built = new Object[flat.length];
    return new java.util.AbstractList<>() {
      @Override
      @SuppressWarnings("unchecked")
      public O get(int k) {
        if (built[k] == null) built[k] = unflatten(flat[k]);
        return (O) built[k];
      }

      @Override
      public int size() {
        return flat.length;
      }
    };
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
