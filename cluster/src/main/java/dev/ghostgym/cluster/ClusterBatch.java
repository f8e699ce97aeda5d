package dev.ghostgym.cluster;

import java.util.List;
import java.util.Map;

/**
 * What {@link ClusterVectorEnv#recv()} returns: the envs of one answer (one node's step batch, or
 * one re-created env), with their ids; position k of every list and array belongs to {@code
 * envIds[k]}.
 */
public record ClusterBatch<O>(
    int[] envIds,
    List<O> observations,
    double[] rewards,
    boolean[] terminated,
    boolean[] truncated,
    List<Map<String, Object>> infos) {
  public int size() {
    return envIds.length;
  }

  public boolean done(int k) {
    return terminated[k] || truncated[k];
  }
}
