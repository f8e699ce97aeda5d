package dev.ghostgym.learn;

import java.util.Map;

/**
 * PPO's hyper-parameters (CleanRL's {@code ppo.py} meanings; on the command line by component name,
 * {@code --set algo.numEnvs=8}).
 *
 * @param numEnvs environments stepped together (one batched forward pass per step)
 * @param numSteps steps per environment per rollout; the batch is numEnvs x numSteps
 * @param lr Adam learning rate
 * @param annealLr decay the learning rate linearly over the run, down to 5% of {@code lr} (a floor,
 *     so that the last updates still learn)
 * @param gamma discount per decision
 * @param gaeLambda GAE's lambda
 * @param minibatches minibatches per epoch
 * @param epochs passes over each batch
 * @param clip the ratio clip
 * @param entCoef entropy bonus weight
 * @param vfCoef value loss weight
 * @param clipGrad gradient clip (element-wise, DJL's optimizer clip)
 * @param normAdv normalise advantages per minibatch
 * @param normReward scale rewards by the running std of the discounted return
 * @param hidden hidden layer sizes of the actor and of the critic (tanh)
 * @param warmStart a registered centralized heuristic ({@code las@quantum=10us}) whose choices the
 *     actor is first fitted to by behaviour cloning ({@link Cloning}), or {@code none}
 * @param warmStartDecisions demonstrated decisions to clone (the teacher's own runs, then as many
 *     again on runs the cloned policy drives, labelled by the teacher: DAgger)
 * @param warmStartEpochs passes over the demonstrations per fit
 * @param warmStartCriticUpdates after a warm start, PPO updates that fit only the critic (the actor
 *     is frozen): with a random critic the first advantages are noise, and a few updates of noise
 *     undo the clone
 */
public record PpoConfig(
    int numEnvs,
    int numSteps,
    double lr,
    boolean annealLr,
    double gamma,
    double gaeLambda,
    int minibatches,
    int epochs,
    double clip,
    double entCoef,
    double vfCoef,
    double clipGrad,
    boolean normAdv,
    boolean normReward,
    int[] hidden,
    String warmStart,
    int warmStartDecisions,
    int warmStartEpochs,
    int warmStartCriticUpdates) {
  /** No warm start. */
  public static final String NO_WARM_START = "none";

  public PpoConfig {
    if (numEnvs < 1 || numSteps < 1 || minibatches < 1 || epochs < 1) {
      throw new IllegalArgumentException(
          "algo.numEnvs, numSteps, minibatches, epochs: expected >= 1");
    }
    if (lr <= 0) throw new IllegalArgumentException("algo.lr: expected > 0, got " + lr);
    if (gamma < 0 || gamma > 1 || gaeLambda < 0 || gaeLambda > 1) {
      throw new IllegalArgumentException("algo.gamma, algo.gaeLambda: expected in [0, 1]");
    }
    if (warmStart == null || warmStart.isBlank()) warmStart = NO_WARM_START;
    if (warmStartDecisions < 1 || warmStartDecisions > 10_000_000) {
      throw new IllegalArgumentException(
          "algo.warmStartDecisions: expected 1..10000000, got " + warmStartDecisions);
    }
    if (warmStartEpochs < 1 || warmStartEpochs > 1000) {
      throw new IllegalArgumentException(
          "algo.warmStartEpochs: expected 1..1000, got " + warmStartEpochs);
    }
    if (warmStartCriticUpdates < 0) {
      throw new IllegalArgumentException(
          "algo.warmStartCriticUpdates: expected >= 0, got " + warmStartCriticUpdates);
    }
  }

  /** Whether the actor is fitted to a heuristic's choices before PPO. */
  public boolean warmStarts() {
    return !warmStart.equals(NO_WARM_START);
  }

  /** The defaults with {@code --set algo.KEY=VALUE} values applied. */
  public static PpoConfig withOverrides(Map<String, String> values) {
    return HyperParameters.with(defaults(), values);
  }

  public static PpoConfig defaults() {
    return new PpoConfig(
        4,
        256,
        1e-3,
        true,
        0.99,
        0.95,
        4,
        4,
        0.2,
        0.01,
        0.5,
        1.0,
        true,
        true,
        new int[] {64, 64},
        NO_WARM_START,
        40_000,
        15,
        4);
  }
}
