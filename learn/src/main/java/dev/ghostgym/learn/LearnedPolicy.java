package dev.ghostgym.learn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.ForwardingPolicy;
import dev.ghostgym.gym.sched.GhostEnvs;
import dev.ghostgym.gym.sched.PickNextEnv;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.learn.deploy.ArrayMlp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A policy trained on {@code ghost/PickNext-v0}, answering PICK (and SLICE when trained with a
 * slice) with the greedy action of its network on the observation the environment would have shown:
 * {@link PickNextEnv#observe}, flattened by the environment's own observation space. A slice
 * decision that preempts in favour of slot i answers the PICK that follows with i, as the
 * environment does; every other question (placement, insertion) gets the environment's base answer
 * ({@code policy_fallback} of training, else round robin with the slice, or centralized FIFO).
 * Several questions at once go through {@link #decideAll} as one batch. The model (centralized) and
 * the slice are the base's.
 */
public final class LearnedPolicy extends ForwardingPolicy implements AutoCloseable {
  private final Checkpoint checkpoint;
  private final Block block;
  private final NDManager manager;
  private final Space<Map<String, Object>> observationSpace;
  private final PickNextEnv env; // how the env showed and answered decisions in training
  private Integer queued; // the PICK answer promised by a preempting SLICE answer
  private long costNs; // simulated time charged per decision (the DJL path's calibrated cost)

  private LearnedPolicy(Checkpoint c, Block block, NDManager manager) {
    this(c, envOf(c), block, manager);
  }

  private LearnedPolicy(Checkpoint c, PickNextEnv env, Block block, NDManager manager) {
    super(env.fallbackPolicy(c.seed())); // the policy_fallback of training, else the env's default
    this.checkpoint = c;
    this.block = block;
    this.manager = manager;
    this.env = env;
    this.observationSpace = env.observationSpace();
    if (observationSpace.flatDim() != c.obsDim()) {
      throw new LearnError(
          "checkpoint: obs_dim "
              + c.obsDim()
              + " does not match the environment's "
              + observationSpace.flatDim());
    }
  }

  /** The environment the checkpoint was trained on, as it showed and answered decisions. */
  private static PickNextEnv envOf(Checkpoint c) {
    if (!GhostEnvs.PICK_NEXT.equals(c.envId())) {
      throw new LearnError(
          "checkpoint: env_id: a learned policy needs "
              + GhostEnvs.PICK_NEXT
              + ", got "
              + c.envId());
    }
    return new PickNextEnv(c.options());
  }

  /** Loads {@code dir} (written by {@code ghost-gym train}). */
  public static LearnedPolicy load(Path dir) {
    Checkpoint c = Checkpoint.read(dir);
    NDManager m = Torch.manager();
    try {
      Block b = c.newBlock();
      Nets.initialize(b, m, c.obsDim());
      Checkpoint.loadParams(dir, b, m);
      return new LearnedPolicy(c, b, m);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * A policy over a network in training (shares its parameters; do not close the manager twice).
   */
  static LearnedPolicy of(Checkpoint c, Block block) {
    return new LearnedPolicy(c, block, null);
  }

  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /** Charges {@code ns} of simulated agent time per decision from now on; returns this. */
  public LearnedPolicy charging(long ns) {
    if (ns < 0) throw new IllegalArgumentException("decision cost: expected >= 0 ns, got " + ns);
    this.costNs = ns;
    return this;
  }

  @Override
  public long decisionCostNs() {
    return costNs;
  }

  /**
   * True when the model reads features a live kernel cannot give (marked oracle in every output).
   */
  @Override
  public boolean oracle() {
    // oracle features, or an oracle policy_fallback answering the questions the env did not ask
    return env.oracleFeatures() || inner.oracle();
  }

  /** The policy network as float arrays (the deployable {@code mlp} form). */
  public ArrayMlp exportMlp() {
    return ArrayMlp.fromBlock(block, checkpoint.algo());
  }

  @Override
  public String name() {
    return "model:" + checkpoint.algo();
  }

  @Override
  public int decide(DecisionRequest r) {
    return decideAll(List.of(r))[0];
  }

  /** Answers several requests, the network run once on all of them. */
  public int[] decideAll(List<DecisionRequest> requests) {
    int[] answers = new int[requests.size()];
    List<Integer> asked = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      DecisionRequest r = requests.get(i);
      if (!exposed(r)) {
        answers[i] = inner.decide(r);
      } else if (queued != null) {
        answers[i] = queued;
        queued = null;
      } else {
        asked.add(i);
      }
    }
    if (asked.isEmpty()) return answers;
    float[][] obs = new float[asked.size()][];
    boolean[][] masks = new boolean[asked.size()][];
    for (int j = 0; j < asked.size(); j++) {
      DecisionRequest r = requests.get(asked.get(j));
      obs[j] = observationSpace.flatten(env.observe(r));
      masks[j] = env.mask(r);
    }
    float[][] scores = scores(obs);
    for (int j = 0; j < asked.size(); j++) {
      DecisionRequest r = requests.get(asked.get(j));
      int action = Nets.argmax(scores[j], masks[j]);
      answers[asked.get(j)] = answer(r, action);
    }
    return answers;
  }

  /** The network's first output (logits or Q-values) for a batch. */
  float[][] scores(float[][] obs) {
    NDManager root = manager != null ? manager : Torch.manager();
    try (NDManager m = root.newSubManager()) {
      NDList out = Nets.infer(block, m, obs);
      return Nets.rows(out.get(0));
    } finally {
      if (manager == null) root.close();
    }
  }

  private boolean exposed(DecisionRequest r) {
    return r.kind() == DecisionRequest.Kind.PICK || r.kind() == DecisionRequest.Kind.SLICE;
  }

  /** The env's answers to the action; a preempting slice answer promises the PICK that follows. */
  private int answer(DecisionRequest r, int action) {
    int[] answers = env.answers(r, action);
    if (answers.length == 2) queued = answers[1];
    return answers[0];
  }

  @Override
  public void close() {
    if (manager != null) manager.close();
  }
}
