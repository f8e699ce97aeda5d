package dev.ghostgym.gym.vector;

/**
 * When a vector env resets a sub-env whose episode ended (Gymnasium 1.x's {@code AutoresetMode}).
 * Only Gymnasium 1.x's default, {@link #NEXT_STEP}, is implemented; Gymnasium's {@code SAME_STEP}
 * and {@code DISABLED} are not.
 */
public enum AutoresetMode {
    /**
     * If sub-env i ends (terminated or truncated) at step t, step t + 1 ignores i's action, resets it
     * with no seed and no options (continuing its generator), and returns for i the reset observation
     * and reset info with reward 0, terminated false and truncated false. Step t itself returns the
     * true final observation. (Gym 0.2x and Gymnasium 0.x reset in the same step and put the final
     * observation in the info instead; code written for that silently trains on a wrong transition.)
     */
    NEXT_STEP
}
