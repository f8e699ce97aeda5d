package dev.ghostgym.learn;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.vector.VectorEnv;
import dev.ghostgym.gym.vector.VectorReset;
import dev.ghostgym.gym.vector.VectorStep;
import dev.ghostgym.gym.wrappers.RunningMeanStd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Proximal Policy Optimization (Schulman et al. 2017), CleanRL's {@code ppo.py} in one file: vector
 * environments, one batched forward pass per step, masked categorical actions (invalid logits at
 * -1e9), GAE, clipped surrogate, value loss, entropy bonus, shuffled minibatches; evaluation on
 * held-out seeds against FIFO, checkpoints, CSV and learning curve. Random numbers: parameters from
 * the engine's generator seeded with the seed, action sampling and minibatch order from a
 * SplittableRandom of the seed, environments seeded seed, seed+1, ...; so one seed and one thread
 * count give one learning curve.
 */
public final class Ppo {
  private Ppo() {}

  @SuppressWarnings("unchecked")
  public static TrainResult train(PpoConfig c, TrainSpec spec) {
    // 1. Environments and spaces.
    try (VectorEnv<Map<String, Object>, Integer> envs = spec.vectorEnv(c.numEnvs())) {
      return train(c, spec, envs);
    }
  }

  @SuppressWarnings("unchecked")
  private static TrainResult train(
      PpoConfig c, TrainSpec spec, VectorEnv<Map<String, Object>, Integer> envs) {
    Space<Map<String, Object>> obsSpace = envs.singleObservationSpace();
    int obsDim = obsSpace.flatDim();
    int actions = ((Discrete) (Space<?>) envs.singleActionSpace()).n();
    int n = c.numEnvs(), t = c.numSteps(), batch = n * t;

    // 2. Network, optimizer, resume. The schedule (learning-rate annealing) is that of the whole
    // run, so a resumed run anneals exactly as an uninterrupted one.
    Torch.seed(spec.seed());
    Checkpoint meta =
        new Checkpoint(
            "ppo",
            spec.envId(),
            spec.options(),
            obsDim,
            actions,
            java.util.Arrays.stream(c.hidden()).boxed().toList(),
            HyperParameters.toMap(c),
            0,
            spec.seed());
    Snapshot resumed = Resume.load(spec, meta);
    long startStep = resumed == null ? 0 : resumed.step();
    long totalUpdates = Math.max(0, (spec.steps() - startStep + batch - 1) / batch);
    int optimizerSteps =
        (int) (Math.max(1, (spec.steps() + batch - 1) / batch) * c.epochs() * c.minibatches());
    Tracker lr =
        c.annealLr()
            ? k -> (float) (c.lr() * Math.max(0.05, 1.0 - (double) k / optimizerSteps))
            : Tracker.fixed((float) c.lr());
    Block block = Nets.actorCritic(c.hidden(), actions);
    try (Model model = Model.newInstance("ppo", Torch.engine().defaultDevice(), "PyTorch");
        TrainLog log =
            new TrainLog(spec.out(), spec.resume(), spec.progress(), spec.steps(), startStep)) {
      model.setBlock(block);
      ResumableAdam adam = new ResumableAdam(lr, (float) c.clipGrad());
      Trainer trainer =
          model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam));
      trainer.initialize(new Shape(1, obsDim));
      NDManager root = model.getNDManager();
      if (resumed != null)
        Resume.restore(
            resumed, block, Nets.actorCritic(c.hidden(), actions), obsDim, null, adam, root);
      if (resumed == null && c.warmStarts()) {
        // Behaviour cloning first (a resumed run has it in its parameters already); then the
        // optimiser starts afresh, so PPO's schedule is the same as without a warm start.
        adam.warmUp(Tracker.fixed((float) c.lr()));
        Cloning.warmStart(c, spec, block, trainer, root);
        adam.reset();
      }
      double fifoUs = Evaluation.meanResponseUs(spec.options(), spec.evalSeeds(), "fifo");

      // 3. Rollout storage, [t][env].
      float[][][] obs = new float[t][n][];
      boolean[][][] masks = new boolean[t][n][];
      int[][] act = new int[t][n];
      float[][] logp = new float[t][n], val = new float[t][n], rew = new float[t][n];
      boolean[][] done = new boolean[t][n], valid = new boolean[t][n];
      Episodes ep = new Episodes(n, obsSpace, c, envs.resetAll(spec.seed()));
      List<int[]> history = new ArrayList<>();
      if (resumed != null) {
        for (int[] a : resumed.actions()) {
          ep.absorb(envs.step(a), null, null, null);
          history.add(a);
        }
      }
      long step = startStep, nextEval = Resume.nextEval(startStep, spec.evalEvery());
      long t0 = System.nanoTime();
      double lastEval = Double.NaN;

      GroupedSteps envSteps = new GroupedSteps(envs, spec.rolloutGroups());
      for (long update = 0; update < totalUpdates; update++) {
        // After a warm start the critic learns first; the cloned actor waits (zero gradient).
        boolean actorFrozen = c.warmStarts() && step / batch < c.warmStartCriticUpdates();
        // 4. Rollout: one batched forward pass per group of envs and step, masked sampling in
        // Java. Group g's next actions are chosen as soon as its envs are back, while the later
        // groups still step (on a cluster); the random draws stay in env order.
        List<Double> finished = new ArrayList<>();
        SplittableRandom rng = Resume.random(spec.seed(), step / batch);
        for (int s = 0; s < t; s++) {
          int[] a = new int[n];
          for (int g = 0; g < envSteps.groups(); g++) {
            int from = envSteps.from(g), to = envSteps.to(g);
            if (s > 0) {
              envSteps.recv(g);
              ep.absorb(envSteps, from, to, rew[s - 1], done[s - 1], finished);
            }
            try (NDManager m = root.newSubManager()) {
              float[][] groupObs = Arrays.copyOfRange(ep.nextObs, from, to);
              NDList out = Nets.infer(block, m, groupObs);
              boolean[][] groupMasks = safe(Arrays.copyOfRange(ep.nextMask, from, to));
              NDArray logits = out.get(0).add(Nets.penalty(m, groupMasks));
              float[][] lp = Nets.rows(logits.logSoftmax(1));
              float[] v = out.get(1).toFloatArray();
              for (int i = from; i < to; i++) {
                obs[s][i] = ep.nextObs[i];
                masks[s][i] = ep.nextMask[i];
                valid[s][i] = !ep.nextSkip[i] && Nets.any(ep.nextMask[i]);
                a[i] = valid[s][i] ? sample(lp[i - from], ep.nextMask[i], rng) : 0;
                act[s][i] = a[i];
                logp[s][i] = lp[i - from][a[i]];
                val[s][i] = v[i - from];
              }
            }
            envSteps.send(g, a);
          }
          history.add(a);
          step += n;
        }
        for (int g = 0; g < envSteps.groups(); g++) {
          envSteps.recv(g);
          ep.absorb(envSteps, envSteps.from(g), envSteps.to(g), rew[t - 1], done[t - 1], finished);
        }
        if (c.normReward()) {
          float scale = (float) (1.0 / Math.sqrt(ep.returnRms.var() + 1e-8));
          for (float[] row : rew) for (int i = 0; i < n; i++) row[i] *= scale;
        }

        // 5. GAE, backwards per environment. A terminal step has no next value; an autoreset step
        // is not a transition.
        float[] bootstrap;
        try (NDManager m = root.newSubManager()) {
          bootstrap = Nets.infer(block, m, ep.nextObs).get(1).toFloatArray();
        }
        float[][] adv = new float[t][n], ret = new float[t][n];
        for (int i = 0; i < n; i++) {
          float lastAdv = 0;
          float nextValue = ep.nextSkip[i] ? 0 : bootstrap[i];
          for (int s = t - 1; s >= 0; s--) {
            if (!valid[s][i]) {
              lastAdv = 0;
              nextValue = 0; // the step before an autoreset step is terminal anyway
              continue;
            }
            float notDone = done[s][i] ? 0 : 1;
            float delta = rew[s][i] + (float) c.gamma() * nextValue * notDone - val[s][i];
            lastAdv = delta + (float) (c.gamma() * c.gaeLambda()) * notDone * lastAdv;
            adv[s][i] = lastAdv;
            ret[s][i] = lastAdv + val[s][i];
            nextValue = val[s][i];
          }
        }

        // 6. Update: epochs of shuffled minibatches over the valid transitions.
        List<int[]> idx = new ArrayList<>();
        for (int s = 0; s < t; s++)
          for (int i = 0; i < n; i++) if (valid[s][i]) idx.add(new int[] {s, i});
        double pgSum = 0, vSum = 0, entSum = 0;
        int count = 0;
        int mbSize = Math.max(1, idx.size() / c.minibatches());
        for (int epoch = 0; epoch < c.epochs() && !idx.isEmpty(); epoch++) {
          for (int k = idx.size() - 1; k > 0; k--) {
            int j = rng.nextInt(k + 1);
            int[] tmp = idx.get(k);
            idx.set(k, idx.get(j));
            idx.set(j, tmp);
          }
          for (int from = 0; from + mbSize <= idx.size(); from += mbSize) {
            int b = mbSize;
            float[][] mbObs = new float[b][];
            boolean[][] mbMask = new boolean[b][];
            float[] oneHot = new float[b * actions],
                oldLogp = new float[b],
                mbAdv = new float[b],
                mbRet = new float[b];
            for (int j = 0; j < b; j++) {
              int[] e = idx.get(from + j);
              mbObs[j] = obs[e[0]][e[1]];
              mbMask[j] = masks[e[0]][e[1]];
              oneHot[j * actions + act[e[0]][e[1]]] = 1;
              oldLogp[j] = logp[e[0]][e[1]];
              mbAdv[j] = adv[e[0]][e[1]];
              mbRet[j] = ret[e[0]][e[1]];
            }
            if (c.normAdv() && b > 1) normalize(mbAdv);
            try (NDManager m = root.newSubManager();
                GradientCollector gc = trainer.newGradientCollector()) {
              NDList out = trainer.forward(new NDList(Nets.batch(m, mbObs)));
              NDArray newLp = out.get(0).add(Nets.penalty(m, mbMask)).logSoftmax(1);
              NDArray chosen =
                  newLp.mul(m.create(oneHot, new Shape(b, actions))).sum(new int[] {1});
              NDArray ratio = chosen.sub(m.create(oldLogp)).exp();
              NDArray advA = m.create(mbAdv);
              NDArray pg =
                  advA.mul(ratio)
                      .minimum(advA.mul(ratio.clip((float) (1 - c.clip()), (float) (1 + c.clip()))))
                      .mean()
                      .neg();
              NDArray vLoss = out.get(1).reshape(b).sub(m.create(mbRet)).square().mean().mul(0.5f);
              NDArray entropy = newLp.exp().mul(newLp).sum(new int[] {1}).mean().neg();
              NDArray loss =
                  actorFrozen
                      ? vLoss.mul((float) c.vfCoef())
                      : pg.add(vLoss.mul((float) c.vfCoef())).sub(entropy.mul((float) c.entCoef()));
              gc.backward(loss);
              pgSum += pg.getFloat();
              vSum += vLoss.getFloat();
              entSum += entropy.getFloat();
              count++;
            }
            trainer.step();
          }
        }

        // 7. Log, evaluate, checkpoint.
        double sps = (step - startStep) / ((System.nanoTime() - t0) / 1e9);
        double evalUs = Double.NaN;
        boolean last = update == totalUpdates - 1;
        boolean stop = !last && spec.stop().getAsBoolean();
        if (step >= nextEval || last) {
          evalUs =
              Evaluation.meanResponseUs(
                  spec.options(),
                  spec.evalSeeds(),
                  s ->
                      Evaluation.agents(
                          LearnedPolicy.of(meta, block)
                              .charging(Evaluation.decisionCostNs(spec.options()))));
          lastEval = evalUs;
          while (nextEval <= step) nextEval += spec.evalEvery();
        }
        double meanReturn =
            finished.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        log.add(
            new TrainLog.Row(
                step,
                meanReturn,
                count == 0 ? Double.NaN : pgSum / count,
                count == 0 ? Double.NaN : vSum / count,
                count == 0 ? Double.NaN : entSum / count,
                evalUs,
                Double.isNaN(evalUs) ? Double.NaN : fifoUs,
                sps));
        if (spec.out() != null && (!Double.isNaN(evalUs) || stop)) {
          Resume.save(spec, meta.withSteps(step), block, null, adam, history);
        }
        if (stop) throw Resume.stopped(spec, step);
      }
      trainer.close();
      return new TrainResult(
          step, (step - startStep) / ((System.nanoTime() - t0) / 1e9), lastEval, fifoUs);
    }
  }

  /**
   * The environments' side of the run between steps: the next observations and masks, which envs
   * are being autoreset, the episode returns and the discounted returns behind reward
   * normalisation. Fed step by step, in training and when a resumed run replays its actions.
   */
  static final class Episodes {
    final float[][] nextObs;
    final boolean[][] nextMask;
    final boolean[] nextSkip; // env i is being autoreset at the next step: its action is ignored
    final RunningMeanStd returnRms = new RunningMeanStd();
    private final double[] discounted;
    private final double[] episodeReturn;
    private final Space<Map<String, Object>> space;
    private final PpoConfig c;

    Episodes(
        int n,
        Space<Map<String, Object>> space,
        PpoConfig c,
        VectorReset<Map<String, Object>> first) {
      this.space = space;
      this.c = c;
      nextObs = new float[n][];
      nextMask = new boolean[n][];
      nextSkip = new boolean[n];
      discounted = new double[n];
      episodeReturn = new double[n];
      for (int i = 0; i < n; i++) {
        nextObs[i] = space.flatten(first.observations().get(i));
        nextMask[i] = (boolean[]) first.infos().get(i).get("action_mask");
      }
    }

    /**
     * One vector step: rewards and terminal flags into the rollout rows (when given), finished
     * returns.
     */
    void absorb(
        VectorStep<Map<String, Object>> st, float[] rew, boolean[] doneRow, List<Double> finished) {
      for (int i = 0; i < nextObs.length; i++) {
        absorb(
            i,
            st.rewards()[i],
            st.done(i),
            space.flatten(st.observation(i)),
            (boolean[]) st.info(i).get("action_mask"),
            rew,
            doneRow,
            finished);
      }
    }

    /**
     * Envs {@code from..to-1} of a grouped step, as {@link #absorb(VectorStep, float[], boolean[],
     * List)}.
     */
    void absorb(
        GroupedSteps st, int from, int to, float[] rew, boolean[] doneRow, List<Double> finished) {
      for (int i = from; i < to; i++) {
        absorb(i, st.reward(i), st.done(i), st.observation(i), st.mask(i), rew, doneRow, finished);
      }
    }

    private void absorb(
        int i,
        double r,
        boolean stepDone,
        float[] flatObs,
        boolean[] mask,
        float[] rew,
        boolean[] doneRow,
        List<Double> finished) {
      boolean d = stepDone && !nextSkip[i];
      if (!nextSkip[i]) {
        episodeReturn[i] += r;
        discounted[i] = discounted[i] * c.gamma() + r;
        if (c.normReward()) returnRms.update(discounted[i]);
      }
      if (rew != null) rew[i] = (float) r;
      if (doneRow != null) doneRow[i] = d;
      if (d) {
        if (finished != null) finished.add(episodeReturn[i]);
        episodeReturn[i] = 0;
        discounted[i] = 0;
      }
      nextSkip[i] = d;
      nextObs[i] = flatObs;
      nextMask[i] = mask;
    }
  }

  /** A valid action drawn from the log-probabilities (invalid ones have probability 0). */
  static int sample(float[] logProbs, boolean[] mask, SplittableRandom rng) {
    double u = rng.nextDouble(), acc = 0;
    int lastValid = -1;
    for (int a = 0; a < logProbs.length; a++) {
      if (!mask[a]) continue;
      acc += Math.exp(logProbs[a]);
      lastValid = a;
      if (u < acc) return a;
    }
    return lastValid; // rounding left u above the total
  }

  /**
   * Masks with no valid action (terminal observations) read as all valid, so the softmax stays
   * finite.
   */
  private static boolean[][] safe(boolean[][] masks) {
    boolean[][] out = new boolean[masks.length][];
    for (int i = 0; i < masks.length; i++) {
      out[i] = masks[i];
      if (!Nets.any(masks[i])) Arrays.fill(out[i] = new boolean[masks[i].length], true);
    }
    return out;
  }

  private static void normalize(float[] x) {
    double mean = 0, sq = 0;
    for (float v : x) mean += v;
    mean /= x.length;
    for (float v : x) sq += (v - mean) * (v - mean);
    double std = Math.sqrt(sq / (x.length - 1));
    for (int i = 0; i < x.length; i++) x[i] = (float) ((x[i] - mean) / (std + 1e-8));
  }
}
