/**
 * Gymnasium 1.x's core API in Java: {@link dev.ghostgym.gym.Env} with {@link
 * dev.ghostgym.gym.Reset} and {@link dev.ghostgym.gym.Step}, the registry and factory {@link
 * dev.ghostgym.gym.Gym} with {@link dev.ghostgym.gym.EnvSpec}, and {@link
 * dev.ghostgym.gym.EnvChecker}. Spaces, wrappers and vector envs are in the sub-packages.
 */
package dev.ghostgym.gym;
