package dev.ghostgym.gym.vector;

/**
 * When a vector env resets a sub-env whose episode ended (Gymnasium 1.x's {@code AutoresetMode}).
 * {@link #NEXT_STEP} is the default; {@link #SAME_STEP} is there for learners written for it
 * (Stable-Baselines3's {@code VecEnv}). Gymnasium's {@code DISABLED} is not implemented.
 */
public enum AutoresetMode {
  /**
   * If sub-env i ends (terminated or truncated) at step t, step t + 1 ignores i's action, resets it
   * with no seed and no options (continuing its generator), and returns for i the reset observation
   * and reset info with reward 0, terminated false and truncated false. Step t itself returns the
   * true final observation. (Gym 0.2x and Gymnasium 0.x reset in the same step and put the final
   * observation in the info instead; code written for that silently trains on a wrong transition.)
   */
  NEXT_STEP,
  /**
   * If sub-env i ends at step t, step t resets it at once (no seed, no options) and returns the
   * reset observation with step t's reward, terminated and truncated; its info is the reset info
   * plus {@link #FINAL_OBS} (the true final observation) and {@link #FINAL_INFO} (the final step's
   * info), as Gymnasium 1.x's {@code SAME_STEP} and Stable-Baselines3's {@code
   * terminal_observation}.
   */
  SAME_STEP;

  /** Info key of the final observation of an env reset in the same step. */
  public static final String FINAL_OBS = "final_obs";

  /** Info key of the final step's info of an env reset in the same step. */
  public static final String FINAL_INFO = "final_info";
}
