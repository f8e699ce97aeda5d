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
    try (VectorEnv<Map<String, Object>, Integer> envs = spec.vectorEnv(c.numEnvs())) {
      return train(c, spec, envs);
    }
  }

  @SuppressWarnings("unchecked")
  private static TrainResult train(
      DqnConfig c, TrainSpec spec, VectorEnv<Map<String, Object>, Integer> envs) {
    Space<Map<String, Object>> obsSpace = envs.singleObservationSpace();
    int obsDim = obsSpace.flatDim();
    int actions = ((Discrete) (Space<?>) envs.singleActionSpace()).n();
    int n = c.numEnvs();

    // 2. Online and target networks.
    Torch.seed(spec.seed());
    Checkpoint meta =
        new Checkpoint(
            "dqn",
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
    Block online = Nets.mlp(c.hidden(), actions);
    Block target = Nets.mlp(c.hidden(), actions);
    try (Model model = Model.newInstance("dqn", Torch.engine().defaultDevice(), "PyTorch");
        NDManager targetManager = Torch.manager();
        TrainLog log =
            new TrainLog(spec.out(), spec.resume(), spec.progress(), spec.steps(), startStep)) {
      model.setBlock(online);
      ResumableAdam adam = new ResumableAdam(Tracker.fixed((float) c.lr()), 10f);
      Trainer trainer =
          model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam));
      trainer.initialize(new Shape(1, obsDim));
      Nets.initialize(target, targetManager, obsDim);
      copy(online, target, targetManager);
      NDManager root = model.getNDManager();
      if (resumed != null)
        Resume.restore(resumed, online, Nets.mlp(c.hidden(), actions), obsDim, target, adam, root);
      double fifoUs = Evaluation.meanResponseUs(spec.options(), spec.evalSeeds(), "fifo");

      // 3. Replay buffer (a ring) and the environments' side; a resumed run replays its actions
      // through both, which rebuilds the buffer, the returns and the normaliser exactly.
      Transitions buf = new Transitions(c, n, obsSpace, envs.resetAll(spec.seed()));
      List<int[]> history = new ArrayList<>();
      if (resumed != null) {
        for (int[] a : resumed.actions()) {
          buf.absorb(envs.step(a), a, null);
          history.add(a);
        }
      }
      List<Double> finished = new ArrayList<>();
      double lossSum = 0, lastEval = Double.NaN;
      int losses = 0;
      long step = startStep, nextEval = Resume.nextEval(startStep, spec.evalEvery());
      long nextLog = Resume.nextEval(step, 5000), t0 = System.nanoTime();

      GroupedSteps envSteps = new GroupedSteps(envs, spec.rolloutGroups());
      while (step < spec.steps()) {
        // 4. Act: epsilon-greedy over the valid actions, one batched forward pass. The schedule
        // and the random stream are functions of the step, the same in a resumed run.
        SplittableRandom rng = Resume.random(spec.seed(), step);
        double progress = step / (c.epsFraction() * spec.steps());
        double eps = c.epsStart() + (c.epsEnd() - c.epsStart()) * Math.min(1, progress);
        // One forward pass per group of envs: a group steps (on a cluster) while the next
        // group's actions are chosen; the random draws stay in env order. The update below needs
        // every env's transition, so all groups are back before it.
        int[] a = new int[n];
        for (int g = 0; g < envSteps.groups(); g++) {
          int from = envSteps.from(g), to = envSteps.to(g);
          float[][] q;
          try (NDManager m = root.newSubManager()) {
            q = Nets.rows(Nets.infer(online, m, Arrays.copyOfRange(buf.obs, from, to)).get(0));
          }
          for (int i = from; i < to; i++) {
            a[i] =
                rng.nextDouble() < eps
                    ? randomValid(buf.mask[i], rng)
                    : Nets.argmax(q[i - from], buf.mask[i]);
          }
          envSteps.send(g, a);
        }
        // 5. Store the real transitions (not the autoreset steps).
        for (int g = 0; g < envSteps.groups(); g++) {
          envSteps.recv(g);
          buf.absorb(envSteps, envSteps.from(g), envSteps.to(g), a, finished);
        }
        history.add(a);
        step += n;

        // 6. Learn: double-DQN target, Huber loss.
        if (step >= c.learningStarts()
            && (step / n) % c.trainEvery() == 0
            && buf.size >= c.batchSize()) {
          int b = c.batchSize();
          float[][] xo = new float[b][], xn = new float[b][];
          boolean[][] xm = new boolean[b][];
          float[] oneHot = new float[b * actions], r = new float[b], notDone = new float[b];
          float scale = c.normReward() ? (float) (1.0 / Math.sqrt(buf.returnRms.var() + 1e-8)) : 1f;
          for (int j = 0; j < b; j++) {
            int k = rng.nextInt(buf.size);
            xo[j] = buf.bObs[k];
            xn[j] = buf.bNext[k];
            xm[j] = buf.bNextMask[k];
            oneHot[j * actions + buf.bAct[k]] = 1;
            r[j] = buf.bRew[k] * scale;
            notDone[j] = buf.bDone[k] || !Nets.any(buf.bNextMask[k]) ? 0 : 1;
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
          try (NDManager m = root.newSubManager();
              GradientCollector gc = trainer.newGradientCollector()) {
            NDArray qa =
                trainer
                    .forward(new NDList(Nets.batch(m, xo)))
                    .get(0)
                    .mul(m.create(oneHot, new Shape(b, actions)))
                    .sum(new int[] {1});
            NDArray diff = qa.sub(m.create(y)).abs();
            NDArray huber =
                diff.minimum(1f).square().mul(0.5f).add(diff.sub(1f).maximum(0f)).mean();
            gc.backward(huber);
            lossSum += huber.getFloat();
            losses++;
          }
          trainer.step();
        }
        if ((step / n) % Math.max(1, c.targetEvery() / n) == 0) copy(online, target, targetManager);

        // 7. Log, evaluate, checkpoint; stop here when asked (Ctrl-C), with a checkpoint of this
        // step.
        boolean last = step >= spec.steps();
        boolean stop = !last && spec.stop().getAsBoolean();
        if (step >= nextLog || step >= nextEval || last || stop) {
          double evalUs = Double.NaN;
          if (step >= nextEval || last) {
            evalUs =
                Evaluation.meanResponseUs(
                    spec.options(),
                    spec.evalSeeds(),
                    s ->
                        Evaluation.agents(
                            LearnedPolicy.of(meta, online)
                                .charging(Evaluation.decisionCostNs(spec.options()))));
            lastEval = evalUs;
            while (nextEval <= step) nextEval += spec.evalEvery();
          }
          double sps = (step - startStep) / ((System.nanoTime() - t0) / 1e9);
          log.add(
              new TrainLog.Row(
                  step,
                  finished.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                  Double.NaN,
                  losses == 0 ? Double.NaN : lossSum / losses,
                  Double.NaN,
                  evalUs,
                  Double.isNaN(evalUs) ? Double.NaN : fifoUs,
                  sps));
          if (spec.out() != null && (!Double.isNaN(evalUs) || stop)) {
            Resume.save(spec, meta.withSteps(step), online, target, adam, history);
          }
          if (stop) throw Resume.stopped(spec, step);
          finished.clear();
          lossSum = 0;
          losses = 0;
          nextLog = Resume.nextEval(step, 5000);
        }
      }
      trainer.close();
      return new TrainResult(
          step, (step - startStep) / ((System.nanoTime() - t0) / 1e9), lastEval, fifoUs);
    }
  }

  /**
   * The replay buffer (a ring) and the environments' side of the run: current observations and
   * masks, autoreset flags, episode and discounted returns, the reward normaliser. Fed step by
   * step, in training and when a resumed run replays its actions.
   */
  private static final class Transitions {
    final float[][] bObs, bNext;
    final boolean[][] bNextMask;
    final int[] bAct;
    final float[] bRew;
    final boolean[] bDone;
    int size, head;
    final float[][] obs;
    final boolean[][] mask;
    final boolean[] skip;
    final RunningMeanStd returnRms = new RunningMeanStd();
    private final double[] discounted, episodeReturn;
    private final DqnConfig c;
    private final Space<Map<String, Object>> space;

    Transitions(
        DqnConfig c,
        int n,
        Space<Map<String, Object>> space,
        VectorReset<Map<String, Object>> first) {
      this.c = c;
      this.space = space;
      int cap = c.bufferSize();
      bObs = new float[cap][];
      bNext = new float[cap][];
      bNextMask = new boolean[cap][];
      bAct = new int[cap];
      bRew = new float[cap];
      bDone = new boolean[cap];
      obs = new float[n][];
      mask = new boolean[n][];
      skip = new boolean[n];
      discounted = new double[n];
      episodeReturn = new double[n];
      for (int i = 0; i < n; i++) {
        obs[i] = space.flatten(first.observations().get(i));
        mask[i] = (boolean[]) first.infos().get(i).get("action_mask");
      }
    }

    void absorb(VectorStep<Map<String, Object>> st, int[] a, List<Double> finished) {
      for (int i = 0; i < obs.length; i++) {
        absorb(
            i,
            st.rewards()[i],
            st.done(i),
            space.flatten(st.observation(i)),
            (boolean[]) st.info(i).get("action_mask"),
            a,
            finished);
      }
    }

    /** Envs {@code from..to-1} of a grouped step. */
    void absorb(GroupedSteps st, int from, int to, int[] a, List<Double> finished) {
      for (int i = from; i < to; i++) {
        absorb(i, st.reward(i), st.done(i), st.observation(i), st.mask(i), a, finished);
      }
    }

    private void absorb(
        int i,
        double r,
        boolean d,
        float[] next,
        boolean[] nextMask,
        int[] a,
        List<Double> finished) {
      if (!skip[i] && Nets.any(mask[i])) {
        episodeReturn[i] += r;
        discounted[i] = discounted[i] * c.gamma() + r;
        if (c.normReward()) returnRms.update(discounted[i]);
        bObs[head] = obs[i];
        bAct[head] = a[i];
        bRew[head] = (float) r;
        bNext[head] = next;
        bNextMask[head] = nextMask;
        bDone[head] = d;
        head = (head + 1) % bObs.length;
        size = Math.min(size + 1, bObs.length);
      }
      if (d && !skip[i]) {
        if (finished != null) finished.add(episodeReturn[i]);
        episodeReturn[i] = 0;
        discounted[i] = 0;
      }
      skip[i] = d && !skip[i];
      obs[i] = next;
      mask[i] = nextMask;
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
