/**
 * Vector envs stepping N envs as one batch with Gymnasium 1.x's next-step autoreset: SyncVectorEnv
 * on the caller's thread, AsyncVectorEnv on a fixed set of threads, one slice of envs each.
 */
package dev.ghostgym.gym.vector;
