/**
 * Wrappers that each change one thing about an env, as Gymnasium's: TimeLimit, OrderEnforcing,
 * RecordEpisodeStatistics, FlattenObservation, NormalizeReward, ClipAction, ActionMasking, and the
 * bases Wrapper, ObservationWrapper, ActionWrapper and RewardWrapper.
 */
package dev.ghostgym.gym.wrappers;
