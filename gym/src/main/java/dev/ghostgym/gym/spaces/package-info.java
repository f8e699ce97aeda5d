/**
 * Gymnasium's spaces: Discrete, Box (float32), MultiDiscrete, MultiBinary, Dict and Tuple, with
 * membership, seeded and masked sampling, and flattening to float vectors; {@link
 * dev.ghostgym.gym.spaces.Values} for deep copy and equality of their values.
 */
package dev.ghostgym.gym.spaces;
