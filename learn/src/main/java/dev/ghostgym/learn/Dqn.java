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
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.vector.SyncVectorEnv;
import dev.ghostgym.gym.vector.VectorReset;
import dev.ghostgym.gym.vector.VectorStep;
import dev.ghostgym.gym.wrappers.RunningMeanStd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Double DQN (van Hasselt et al. 2016), CleanRL's {@code dqn.py} in one file: epsilon-greedy over
 * valid actions, a replay buffer, a target network copied every {@code targetEvery} steps, the
 * online network choosing the next action (masked argmax) and the target network valuing it, Huber
 * loss; evaluation, checkpoints, CSV and learning curve as in {@link Ppo}.
 */
public final class Dqn {
  private Dqn() {}

  @SuppressWarnings("unchecked")
  public static TrainResult train(DqnConfig c, TrainSpec spec) {
    // 1. Environments and spaces.
    SyncVectorEnv<Map<String, Object>, Integer> envs = spec.vectorEnv(c.numEnvs());
    Space<Map<String, Object>> obsSpace = envs.singleObservationSpace();
    int obsDim = obsSpace.flatDim();
    int actions = ((Discrete) (Space<?>) envs.singleActionSpace()).n();
    int n = c.numEnvs();

    // 2. Online and target networks.
    Torch.seed(spec.seed());
    Checkpoint meta = new Checkpoint("dqn", spec.envId(), spec.options(), obsDim, actions,
        Arrays.stream(c.hidden()).boxed().toList(), HyperParameters.toMap(c), 0, spec.seed());
    long startStep = Checkpoint.resumedSteps(spec, "dqn", obsDim, actions);
    Block online = Nets.mlp(c.hidden(), actions);
    Block target = Nets.mlp(c.hidden(), actions);
    try (Model model = Model.newInstance("dqn", Torch.engine().defaultDevice(), "PyTorch");
         NDManager targetManager = Torch.manager();
         TrainLog log = new TrainLog(spec.out(), spec.resume(), spec.progress(), spec.steps())) {
      model.setBlock(online);
      Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) c.lr())).optClipGrad(10f).build()));
      trainer.initialize(new Shape(1, obsDim));
      if (startStep > 0) Checkpoint.loadParams(spec.out(), online, model.getNDManager());
      Nets.initialize(target, targetManager, obsDim);
      copy(online, target, targetManager);
      NDManager root = model.getNDManager();
      SplittableRandom rng = new SplittableRandom(spec.seed() ^ 0x5DEECE66DL ^ startStep);
      double fifoUs = Evaluation.meanResponseUs(spec.options(), spec.evalSeeds(), "fifo");

      // 3. Replay buffer (a ring).
      int cap = c.bufferSize();
      float[][] bObs = new float[cap][], bNext = new float[cap][];
      boolean[][] bNextMask = new boolean[cap][];
      int[] bAct = new int[cap];
      float[] bRew = new float[cap];
      boolean[] bDone = new boolean[cap];
      int size = 0, head = 0;

      VectorReset<Map<String, Object>> first = envs.resetAll(spec.seed() + startStep);
      float[][] obs = new float[n][];
      boolean[][] mask = new boolean[n][];
      boolean[] skip = new boolean[n];
      for (int i = 0; i < n; i++) {
        obs[i] = obsSpace.flatten(first.observations().get(i));
        mask[i] = (boolean[]) first.infos().get(i).get("action_mask");
      }
      RunningMeanStd returnRms = new RunningMeanStd();
      double[] discounted = new double[n], episodeReturn = new double[n];
      List<Double> finished = new ArrayList<>();
      double lossSum = 0, lastEval = Double.NaN;
      int losses = 0;
      long step = startStep, nextEval = spec.evalEvery() > 0 ? startStep + spec.evalEvery() : Long.MAX_VALUE;
      long nextLog = step + 5000, t0 = System.nanoTime();

      while (step < spec.steps()) {
        // 4. Act: epsilon-greedy over the valid actions, one batched forward pass.
        double progress = (step - startStep) / (c.epsFraction() * Math.max(1, spec.steps() - startStep));
        double eps = c.epsStart() + (c.epsEnd() - c.epsStart()) * Math.min(1, progress);
        float[][] q;
        try (NDManager m = root.newSubManager()) {
          q = Nets.rows(Nets.infer(online, m, obs).get(0));
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
          a[i] = rng.nextDouble() < eps ? randomValid(mask[i], rng) : Nets.argmax(q[i], mask[i]);
        }
        VectorStep<Map<String, Object>> st = envs.step(a);
        step += n;

        // 5. Store the real transitions (not the autoreset steps).
        for (int i = 0; i < n; i++) {
          float[] next = obsSpace.flatten(st.observation(i));
          boolean[] nextMask = (boolean[]) st.info(i).get("action_mask");
          boolean d = st.done(i);
          if (!skip[i] && Nets.any(mask[i])) {
            double r = st.rewards()[i];
            episodeReturn[i] += r;
            discounted[i] = discounted[i] * c.gamma() + r;
            if (c.normReward()) returnRms.update(discounted[i]);
            bObs[head] = obs[i];
            bAct[head] = a[i];
            bRew[head] = (float) r;
            bNext[head] = next;
            bNextMask[head] = nextMask;
            bDone[head] = d;
            head = (head + 1) % cap;
            size = Math.min(size + 1, cap);
          }
          if (d && !skip[i]) {
            finished.add(episodeReturn[i]);
            episodeReturn[i] = 0;
            discounted[i] = 0;
          }
          skip[i] = d && !skip[i];
          obs[i] = next;
          mask[i] = nextMask;
        }

        // 6. Learn: double-DQN target, Huber loss.
        if (step - startStep >= c.learningStarts() && (step / n) % c.trainEvery() == 0 && size >= c.batchSize()) {
          int b = c.batchSize();
          float[][] xo = new float[b][], xn = new float[b][];
          boolean[][] xm = new boolean[b][];
          float[] oneHot = new float[b * actions], r = new float[b], notDone = new float[b];
          float scale = c.normReward() ? (float) (1.0 / Math.sqrt(returnRms.var() + 1e-8)) : 1f;
          for (int j = 0; j < b; j++) {
            int k = rng.nextInt(size);
            xo[j] = bObs[k];
            xn[j] = bNext[k];
            xm[j] = bNextMask[k];
            oneHot[j * actions + bAct[k]] = 1;
            r[j] = bRew[k] * scale;
            notDone[j] = bDone[k] || !Nets.any(bNextMask[k]) ? 0 : 1;
          }
          float[] y = new float[b];
          try (NDManager m = root.newSubManager()) {
            float[][] qNextOnline = Nets.rows(Nets.infer(online, m, xn).get(0));
            float[][] qNextTarget = Nets.rows(Nets.infer(target, m, xn).get(0));
            for (int j = 0; j < b; j++) {
              float next = notDone[j] == 0 ? 0 : qNextTarget[j][Nets.argmax(qNextOnline[j], xm[j])];
              y[j] = r[j] + (float) c.gamma() * next;
            }
          }
          try (NDManager m = root.newSubManager(); GradientCollector gc = trainer.newGradientCollector()) {
            NDArray qa = trainer.forward(new NDList(Nets.batch(m, xo))).get(0)
                .mul(m.create(oneHot, new Shape(b, actions))).sum(new int[] {1});
            NDArray diff = qa.sub(m.create(y)).abs();
            NDArray huber = diff.minimum(1f).square().mul(0.5f).add(diff.sub(1f).maximum(0f)).mean();
            gc.backward(huber);
            lossSum += huber.getFloat();
            losses++;
          }
          trainer.step();
        }
        if ((step / n) % Math.max(1, c.targetEvery() / n) == 0) copy(online, target, targetManager);

        // 7. Log, evaluate, checkpoint.
        boolean last = step >= spec.steps();
        if (step >= nextLog || step >= nextEval || last) {
          double evalUs = Double.NaN;
          if (step >= nextEval || last) {
            evalUs = Evaluation.meanResponseUs(spec.options(), spec.evalSeeds(),
                s -> Evaluation.agents(LearnedPolicy.of(meta, online)));
            lastEval = evalUs;
            while (nextEval <= step) nextEval += spec.evalEvery();
            if (spec.out() != null) {
              new Checkpoint("dqn", meta.envId(), meta.options(), obsDim, actions, meta.hidden(), meta.config(),
                  step, spec.seed()).save(spec.out(), online);
            }
          }
          double sps = (step - startStep) / ((System.nanoTime() - t0) / 1e9);
          log.add(new TrainLog.Row(step, finished.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
              Double.NaN, losses == 0 ? Double.NaN : lossSum / losses, Double.NaN, evalUs,
              Double.isNaN(evalUs) ? Double.NaN : fifoUs, sps));
          finished.clear();
          lossSum = 0;
          losses = 0;
          nextLog = step + 5000;
        }
      }
      trainer.close();
      envs.close();
      return new TrainResult(step, (step - startStep) / ((System.nanoTime() - t0) / 1e9), lastEval, fifoUs);
    }
  }

  static int randomValid(boolean[] mask, SplittableRandom rng) {
    int count = 0;
    for (boolean b : mask) if (b) count++;
    if (count == 0) return 0;
    int k = rng.nextInt(count);
    for (int a = 0; a < mask.length; a++) if (mask[a] && k-- == 0) return a;
    return 0;
  }

  /** target := online, through the parameter bytes (same layout, same order). */
  private static void copy(Block online, Block target, NDManager m) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      Nets.save(online, bytes);
      Nets.load(target, m, new ByteArrayInputStream(bytes.toByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
