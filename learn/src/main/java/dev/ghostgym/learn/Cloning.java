package dev.ghostgym.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.config.Durations;
import dev.ghostgym.gym.sched.PickNextEnv;
import dev.ghostgym.learn.deploy.ArrayMlp;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Behaviour cloning as PPO's warm start ({@code --warm-start las@quantum=10us}): a heuristic
 * schedules the training workload and its choices, as PickNext actions ({@link
 * PickNextEnv#actionOf}), are the labels the actor is fitted to by cross-entropy over the valid
 * actions; then the fitted actor schedules new runs itself and the teacher labels the states it
 * reaches (one round of DAgger, Ross et al. 2011, so the states where its own mistakes lead are in
 * the data), and the actor is fitted again on both. PPO starts from that actor instead of from
 * random weights: a from-scratch PPO on the 137-input observation learns only an approximation of a
 * rule such as least-attained-service, and a bimodal workload's tail is decided by the decisions it
 * gets wrong. The runs spread the environment's randomised loads and service mixes and charge its
 * decision cost, as training does.
 */
public final class Cloning {
  /** Demonstrations per minibatch of the fit. */
  static final int MINIBATCH = 256;

  /** What a warm start did: decisions fitted, the fit's last loss, held-out agreement. */
  public record Result(int decisions, double loss, double agreement, double pick, double slice) {}

  private Cloning() {}

  /**
   * The teacher {@code spec} names ({@code NAME[@KEY=VALUE;...]}, a registered policy and its
   * parameters), checked against the environment: it must be centralized (PickNext's agents are),
   * must not preempt on arrival (the environment never asks), and a teacher with a time slice must
   * slice as the environment does (option {@code slice}), or its SLICE answers would come at other
   * moments than the ones it was tuned for. Errors name {@code --warm-start}.
   */
  public static Policy teacher(String spec, Map<String, Object> options, long seed) {
    String s = spec == null ? "" : spec.trim();
    int at = s.indexOf('@');
    String name = at < 0 ? s : s.substring(0, at);
    Map<String, String> params = new LinkedHashMap<>();
    if (at >= 0) {
      for (String kv : s.substring(at + 1).split(";")) {
        int eq = kv.indexOf('=');
        if (eq <= 0)
          throw new IllegalArgumentException(
              "--warm-start: expected NAME[@KEY=VALUE;...], got '" + spec + "'");
        params.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
      }
    }
    Policy p;
    try {
      p = Policies.policy(name, params, seed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--warm-start " + spec + ": " + e.getMessage(), e);
    }
    if (p.model() != Policy.Model.CENTRALIZED)
      throw new IllegalArgumentException(
          "--warm-start " + spec + ": expected a centralized policy (PickNext's agents are)");
    if (p.preemptsOnArrival())
      throw new IllegalArgumentException(
          "--warm-start "
              + spec
              + ": it preempts on arrival, a decision the environment never asks; expected a "
              + "policy that decides at PICK and slice expiry");
    long envSlice = sliceNs(options);
    if (p.sliceNs() > 0 && p.sliceNs() != envSlice) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--warm-start %s: its slice is %d ns but the environment's is %s; set slice to the"
                  + " teacher's (--set slice=%dns) or give the teacher the environment's",
              spec,
              p.sliceNs(),
              envSlice == 0 ? "none (no slice option)" : envSlice + " ns",
              p.sliceNs()));
    }
    return p;
  }

  private static long sliceNs(Map<String, Object> options) {
    Object slice = options.get("slice");
    return slice == null ? 0 : Durations.parseNanos(String.valueOf(slice), "slice");
  }

  /**
   * Fits {@code block}'s actor (PPO's actor-critic) to the teacher of {@code c.warmStart()} on
   * {@code spec}'s environment through {@code trainer}, and measures the agreement on held-out runs
   * the fitted actor drives.
   */
  static Result warmStart(PpoConfig c, TrainSpec spec, Block block, Trainer trainer, NDManager m) {
    long t0 = System.nanoTime();
    Map<String, Object> options = spec.options();
    PickNextEnv env = new PickNextEnv(options);
    Policy teacher = teacher(c.warmStart(), options, spec.seed());
    long cost = Evaluation.decisionCostNs(options);
    long seeds = 2_000_000L + spec.seed() * 1000;
    int n = c.warmStartDecisions();
    List<Demonstrator.Sample> data = new ArrayList<>(2 * n);
    data.addAll(collect(options, new Demonstrator(env, teacher, null, cost), n, seeds));
    SplittableRandom rng = new SplittableRandom(spec.seed());
    fit(block, trainer, m, data, c.warmStartEpochs(), rng);
    Demonstrator dagger = new Demonstrator(env, teacher, ArrayMlp.fromBlock(block, "ppo"), cost);
    data.addAll(collect(options, dagger, n, seeds + 500));
    double loss = fit(block, trainer, m, data, c.warmStartEpochs(), rng);
    Demonstrator check = checked(env, teacher, block, cost, options, seeds + 900);
    double agreement = check.agreement();
    PrintStream out = spec.progress();
    if (out != null) {
      out.printf(
          Locale.ROOT,
          "warm start: cloned %s from %d decisions (%d by the teacher, %d by the clone) in %.0f s;"
              + " loss %.3f, agreement on held-out runs %.1f%% (PICK %.1f%% of %d, SLICE %.1f%% of"
              + " %d); the teacher's choice was past the visible slots at %d decisions%n",
          c.warmStart(),
          data.size(),
          n,
          data.size() - n,
          (System.nanoTime() - t0) / 1e9,
          loss,
          100 * agreement,
          100 * check.agreement(0),
          check.labelled(0),
          100 * check.agreement(1),
          check.labelled(1),
          check.unseen());
    }
    return new Result(data.size(), loss, agreement, check.agreement(0), check.agreement(1));
  }

  /**
   * Share of the decisions on held-out runs driven by {@code block}'s actor that equal the
   * teacher's.
   */
  public static double agreement(
      PickNextEnv env,
      Policy teacher,
      Block block,
      long costNs,
      Map<String, Object> options,
      long seed) {
    return checked(env, teacher, block, costNs, options, seed).agreement();
  }

  private static Demonstrator checked(
      PickNextEnv env,
      Policy teacher,
      Block block,
      long costNs,
      Map<String, Object> options,
      long seed) {
    Demonstrator d = new Demonstrator(env, teacher, ArrayMlp.fromBlock(block, "ppo"), costNs);
    for (int i = 0; i < 2; i++) run(options, d, seed + i, i, 2);
    return d;
  }

  /** Runs until {@code d} recorded {@code n} decisions (at most 1,000 runs). */
  static List<Demonstrator.Sample> collect(
      Map<String, Object> options, Demonstrator d, int n, long seed) {
    d.quota(n);
    for (int i = 0; d.quota() > 0 && i < 1000; i++) run(options, d, seed + i, i, 8);
    return d.samples;
  }

  /** One simulation of the environment's workload under {@code p}: run i of n of a series. */
  static void run(Map<String, Object> options, Policy p, long seed, int i, int n) {
    Evaluation.runSpread(options, p, seed, Evaluation.tasks(options), i, n);
  }

  /** Epochs of shuffled minibatches of masked cross-entropy; the last epoch's mean loss. */
  static double fit(
      Block block,
      Trainer trainer,
      NDManager root,
      List<Demonstrator.Sample> data,
      int epochs,
      SplittableRandom rng) {
    int[] order = new int[data.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    double last = Double.NaN;
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int k = order.length - 1; k > 0; k--) {
        int j = rng.nextInt(k + 1);
        int tmp = order[k];
        order[k] = order[j];
        order[j] = tmp;
      }
      double sum = 0;
      int batches = 0;
      for (int from = 0; from < order.length; from += MINIBATCH) {
        int b = Math.min(MINIBATCH, order.length - from);
        float[][] obs = new float[b][];
        boolean[][] masks = new boolean[b][];
        int actions = data.get(0).mask().length;
        float[] oneHot = new float[b * actions];
        for (int j = 0; j < b; j++) {
          Demonstrator.Sample s = data.get(order[from + j]);
          obs[j] = s.obs();
          masks[j] = s.mask();
          oneHot[j * actions + s.action()] = 1;
        }
        try (NDManager m = root.newSubManager();
            GradientCollector gc = trainer.newGradientCollector()) {
          NDList out = trainer.forward(new NDList(Nets.batch(m, obs)));
          NDArray lp = out.get(0).add(Nets.penalty(m, masks)).logSoftmax(1);
          NDArray loss =
              lp.mul(m.create(oneHot, new Shape(b, actions))).sum(new int[] {1}).mean().neg();
          gc.backward(loss);
          sum += loss.getFloat();
          batches++;
        }
        trainer.step();
      }
      last = sum / Math.max(1, batches);
    }
    return last;
  }
}
