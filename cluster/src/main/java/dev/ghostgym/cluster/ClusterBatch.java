package dev.ghostgym.cluster;

import dev.ghostgym.gym.vector.PipelinedVectorEnv;
import java.util.List;
import java.util.Map;

/**
 * What {@link ClusterVectorEnv#recv()} returns: the envs of one answer (one node's step batch, or
 * one re-created env), with their ids; position k of every list and array belongs to {@code
 * envIds[k]}. The observations arrive flat ({@code flatObservations}, not to be modified); the
 * {@code observations} list builds each env's own observation type only when asked for it.
 */
public record ClusterBatch<O>(
    int[] envIds,
    float[][] flatObservations,
    List<O> observations,
    double[] rewards,
    boolean[] terminated,
    boolean[] truncated,
    List<Map<String, Object>> infos)
    implements PipelinedVectorEnv.Answer<O> {
  @Override
  public int size() {
    return envIds.length;
  }

  public boolean done(int k) {
    return terminated[k] || truncated[k];
  }

  @Override
  public int envId(int k) {
    return envIds[k];
  }

  @Override
  public O observation(int k) {
    return observations.get(k);
  }

  @Override
  public float[] flatObservation(int k) {
    return flatObservations[k];
  }

  @Override
  public double reward(int k) {
    return rewards[k];
  }

  @Override
  public boolean terminated(int k) {
    return terminated[k];
  }

  @Override
  public boolean truncated(int k) {
    return truncated[k];
  }

  @Override
  public Map<String, Object> info(int k) {
    return infos.get(k);
  }
}
