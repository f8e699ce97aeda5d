package dev.ghostgym.learn.deploy;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.ForwardingPolicy;
import dev.ghostgym.gym.sched.PickNextEnv;

/**
 * A learned PickNext policy in a deployable form, deciding on the agent's thread in pure Java with
 * no allocation per decision: {@link Form#MLP} runs the exported network ({@link ArrayMlp}) on the
 * observation written into a reused buffer ({@link PickNextEnv#observeInto}); {@link Form#TREE}
 * walks the distilled tree ({@link DistilledTree}) for each candidate, specialised at load time for
 * the decision's kind, queue length and the candidate's slot ({@link CompiledTree}), which leaves
 * each candidate a few splits on its own features. Questions and answers are the environment's (as
 * {@code LearnedPolicy}): PICK and SLICE are the model's, a preempting SLICE answer carries its
 * slot to the PICK that follows, everything else is the environment's base answer. Each decision
 * costs {@link #decisionCostNs()} of simulated agent time; the model (centralized) and the slice
 * are the base's.
 */
public final class FastPolicy extends ForwardingPolicy {
  /** How a learned policy decides at deployment. */
  public enum Form {
    /** The DJL network through PyTorch (the training path; a native call per decision). */
    DJL,
    /** The network exported to float arrays, forward pass in Java. */
    MLP,
    /** The decision tree distilled from the network's choices. */
    TREE;

    public String id() {
      return name().toLowerCase();
    }

    public static Form parse(String s) {
      for (Form f : values()) if (f.id().equals(s)) return f;
      throw new IllegalArgumentException("policy.form: expected djl, mlp or tree, got '" + s + "'");
    }
  }

  /** Sees each decision the model made (for distillation): the request, the scores, the mask. */
  public interface Recorder {
    void record(DecisionRequest r, float[] scores, boolean[] mask, int action);
  }

  private final String name;
  private final PickNextEnv env;
  private final ArrayMlp mlp;
  private final DistilledTree tree;
  private final CompiledTree compiled; // the tree specialised for the agent, null if too big
  private final long costNs;
  private final int slots;
  private final boolean hints;
  private final float[] obs;
  private final boolean[] mask;
  private Recorder recorder;
  private int queued = -1; // the PICK answer promised by a preempting SLICE answer

  private FastPolicy(
      String name, PickNextEnv env, ArrayMlp mlp, DistilledTree tree, long costNs, long seed) {
    // The policy_fallback of training, else the env's default: the questions the environment did
    // not ask are answered as in training (as LearnedPolicy does), whatever the form.
    super(env.fallbackPolicy(seed));
    this.name = name;
    this.env = env;
    this.mlp = mlp;
    this.tree = tree;
    this.compiled = tree != null ? CompiledTree.compile(tree, env.slots()) : null;
    this.costNs = costNs;
    this.slots = env.slots();
    this.hints = env.hints();
    this.obs = new float[env.observationSpace().flatDim()];
    this.mask = new boolean[slots + 1];
    if (mlp != null && (mlp.inputs() != obs.length || mlp.outputs() != slots + 1)) {
      throw new IllegalArgumentException(
          "mlp: expected "
              + obs.length
              + " inputs and "
              + (slots + 1)
              + " outputs, got "
              + mlp.inputs()
              + " and "
              + mlp.outputs());
    }
  }

  public static FastPolicy mlp(String name, PickNextEnv env, ArrayMlp mlp, long costNs, long seed) {
    return new FastPolicy(name, env, mlp, null, costNs, seed);
  }

  public static FastPolicy tree(
      String name, PickNextEnv env, DistilledTree tree, long costNs, long seed) {
    return new FastPolicy(name, env, null, tree, costNs, seed);
  }

  public Form form() {
    return mlp != null ? Form.MLP : Form.TREE;
  }

  public void recorder(Recorder r) {
    this.recorder = r;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean oracle() {
    // oracle features, or an oracle policy_fallback answering the questions the env did not ask
    return env.oracleFeatures() || inner.oracle();
  }

  @Override
  public long decisionCostNs() {
    return costNs;
  }

  @Override
  public int decide(DecisionRequest r) {
    DecisionRequest.Kind k = r.kind();
    if (k != DecisionRequest.Kind.PICK && k != DecisionRequest.Kind.SLICE) return inner.decide(r);
    if (queued >= 0) {
      int a = queued;
      queued = -1;
      return a;
    }
    int action = choose(r);
    if (k == DecisionRequest.Kind.PICK) return action;
    // PickNextEnv.answers without the array: keep, or preempt and promise the slot to the next
    // PICK.
    if (action == slots) return 0;
    if (r.runQueue().size() >= 2) queued = action;
    return 1;
  }

  /** The model's action: a slot, or {@code slots} to keep the running task. */
  public int choose(DecisionRequest r) {
    if (tree != null) {
      int a =
          compiled != null
              ? compiled.choose(r, hints, env.oracleFeatures())
              : tree.choose(r, slots, hints, env.oracleFeatures());
      if (recorder != null) {
        env.maskInto(r, mask);
        recorder.record(r, null, mask, a);
      }
      return a;
    }
    env.observeInto(r, obs);
    env.maskInto(r, mask);
    float[] scores = mlp.forward(obs);
    int best = -1;
    for (int a = 0; a < scores.length; a++)
      if (mask[a] && (best < 0 || scores[a] > scores[best])) best = a;
    best = Math.max(best, 0);
    if (recorder != null) recorder.record(r, scores, mask, best);
    return best;
  }
}
