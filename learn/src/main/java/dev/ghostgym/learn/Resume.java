package dev.ghostgym.learn;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What PPO and DQN share to stop and continue a run: checking that {@code --resume} has something
 * to resume that fits this run, restoring networks and optimizer from the {@link Snapshot}, saving
 * one, the evaluation schedule and the random streams, both functions of the step alone so that a
 * resumed run draws what the uninterrupted run would have drawn.
 */
final class Resume {
  private Resume() {}

  /**
   * The snapshot to continue from, or null for a new run; a resume with nothing usable is a {@link
   * LearnError}.
   */
  static Snapshot load(TrainSpec spec, Checkpoint run) {
    if (!spec.resume()) return null;
    if (spec.out() == null)
      throw new LearnError("--resume: needs --out (the directory of the run to continue)");
    Checkpoint old = Checkpoint.read(spec.out());
    if (old.obsDim() != run.obsDim()
        || old.actions() != run.actions()
        || !old.algo().equals(run.algo())
        || !old.envId().equals(run.envId())) {
      throw new LearnError(
          "--resume "
              + spec.out()
              + ": the checkpoint is "
              + old.algo()
              + " on "
              + old.envId()
              + " with "
              + old.obsDim()
              + " observations and "
              + old.actions()
              + " actions; this run is "
              + run.algo()
              + " on "
              + run.envId()
              + " with "
              + run.obsDim()
              + " and "
              + run.actions());
    }
    if (!old.hidden().equals(run.hidden())) {
      throw new LearnError(
          "--resume "
              + spec.out()
              + ": the checkpoint's hidden layers are "
              + old.hidden()
              + ", this run's "
              + run.hidden()
              + " (give the same algo.hidden)");
    }
    if (old.seed() != spec.seed()) {
      throw new LearnError(
          "--resume "
              + spec.out()
              + ": the checkpoint was trained with --seed "
              + old.seed()
              + ", this run has --seed "
              + spec.seed()
              + " (give the same seed to continue it)");
    }
    Snapshot s = Checkpoint.snapshot(spec.out());
    if (s == null) {
      throw new LearnError(
          "--resume "
              + spec.out()
              + ": the checkpoint has no training state (state-STEP.bin); "
              + "it can be deployed but not continued");
    }
    if (s.step() != old.steps()) {
      throw new LearnError(
          "--resume "
              + spec.out()
              + ": the state file is at step "
              + s.step()
              + ", checkpoint.json at "
              + old.steps());
    }
    if (s.step() >= spec.steps()) {
      throw new LearnError(
          "--steps "
              + spec.steps()
              + ": the checkpoint in "
              + spec.out()
              + " is already at step "
              + s.step()
              + "; give a larger --steps to train further");
    }
    return s;
  }

  /** Puts the snapshot's parameters into the networks and its moments into the optimizer. */
  static void restore(
      Snapshot s,
      Block online,
      Block scratch,
      int obsDim,
      Block target,
      ResumableAdam adam,
      NDManager m) {
    try {
      Nets.loadInPlace(online, scratch, m, obsDim, new ByteArrayInputStream(s.params()));
      if (target != null) {
        if (s.target() == null) throw new IOException("no target network");
        Nets.load(target, m, new ByteArrayInputStream(s.target()));
      }
      if (s.optimizer() != null)
        adam.load(online, m, new DataInputStream(new ByteArrayInputStream(s.optimizer())));
    } catch (IOException e) {
      throw new LearnError(
          "--resume: the training state does not fit this run (" + Failure.line(e) + ")", e);
    }
  }

  /** Writes the checkpoint with everything needed to continue from {@code c.steps()}. */
  static void save(
      TrainSpec spec,
      Checkpoint c,
      Block online,
      Block target,
      ResumableAdam adam,
      List<int[]> history) {
    try {
      ByteArrayOutputStream p = new ByteArrayOutputStream(),
          t = new ByteArrayOutputStream(),
          o = new ByteArrayOutputStream();
      Nets.save(online, p);
      if (target != null) Nets.save(target, t);
      DataOutputStream d = new DataOutputStream(o);
      adam.save(online, d);
      d.flush();
      Snapshot s =
          new Snapshot(
              c.steps(),
              p.toByteArray(),
              target == null ? null : t.toByteArray(),
              o.toByteArray(),
              history);
      c.save(spec.out(), online, s);
    } catch (IOException e) {
      throw new LearnError(
          "checkpoint " + spec.out() + ": cannot write (" + Failure.line(e) + ")", e);
    }
  }

  /**
   * The first evaluation step after {@code start}: multiples of {@code every}, as in an
   * uninterrupted run.
   */
  static long nextEval(long start, long every) {
    return every > 0 ? (start / every + 1) * every : Long.MAX_VALUE;
  }

  /** The random stream of the k-th update (PPO) or step (DQN) of the run with this seed. */
  static SplittableRandom random(long seed, long k) {
    return new SplittableRandom(
        new SplittableRandom(seed ^ 0x5DEECE66DL).split().nextLong() + k * 0x9E3779B97F4A7C15L);
  }

  /** The exception that ends an interrupted run, naming the step it can be resumed from. */
  static TrainStopped stopped(TrainSpec spec, long step) {
    if (spec.out() == null)
      return new TrainStopped(
          "train: interrupted at step " + step + " (no --out: nothing saved)", step);
    return new TrainStopped(
        "train: interrupted at step "
            + step
            + "; checkpoint saved at step "
            + step
            + " in "
            + spec.out()
            + " (continue with --resume)",
        step);
  }
}
