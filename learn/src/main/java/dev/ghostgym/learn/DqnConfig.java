package dev.ghostgym.learn;

import java.util.Map;

/**
 * DQN's hyper-parameters (CleanRL's {@code dqn.py} meanings; on the command line by component name,
 * {@code --set algo.bufferSize=50000}).
 *
 * @param numEnvs environments stepped together (one batched forward pass per step)
 * @param bufferSize replay buffer capacity (transitions)
 * @param lr Adam learning rate
 * @param gamma discount per decision
 * @param batchSize transitions per gradient step
 * @param learningStarts environment steps (all environments together) before the first gradient
 *     step
 * @param trainEvery vector steps (each one step of every environment) between gradient steps
 * @param targetEvery environment steps (all environments together) between copies of the online
 *     network into the target network
 * @param epsStart exploration at the start (random valid action)
 * @param epsEnd exploration after the decay
 * @param epsFraction fraction of the run over which epsilon decays linearly
 * @param normReward scale rewards by the running std of the discounted return
 * @param hidden hidden layer sizes (tanh)
 */
public record DqnConfig(
    int numEnvs,
    int bufferSize,
    double lr,
    double gamma,
    int batchSize,
    int learningStarts,
    int trainEvery,
    int targetEvery,
    double epsStart,
    double epsEnd,
    double epsFraction,
    boolean normReward,
    int[] hidden) {
  public DqnConfig {
    if (numEnvs < 1 || bufferSize < 1 || batchSize < 1 || trainEvery < 1 || targetEvery < 1) {
      throw new IllegalArgumentException(
          "algo.numEnvs, bufferSize, batchSize, trainEvery, targetEvery: expected >= 1");
    }
    if (lr <= 0) throw new IllegalArgumentException("algo.lr: expected > 0, got " + lr);
  }

  public static DqnConfig withOverrides(Map<String, String> values) {
    return HyperParameters.with(defaults(), values);
  }

  public static DqnConfig defaults() {
    return new DqnConfig(
        4, 50_000, 5e-4, 0.99, 128, 1000, 4, 1000, 1.0, 0.05, 0.3, true, new int[] {64, 64});
  }
}
