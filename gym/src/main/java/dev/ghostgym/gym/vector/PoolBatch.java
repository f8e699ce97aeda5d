package dev.ghostgym.gym.vector;

import java.util.Arrays;
import java.util.Map;

/**
 * What {@link PoolVectorEnv#recv()} returns: the results of the envs that became ready first, entry
 * k belonging to env {@link #envId(int)}. One object per pool, refilled by every {@code recv}, so a
 * step allocates nothing: read it (or copy what you keep) before the next {@code recv}. After a
 * reset request an entry carries the reset observation and info with reward 0 and terminated =
 * truncated = false, as does an env's autoreset step (next-step autoreset, see {@link
 * AutoresetMode#NEXT_STEP}).
 */
public final class PoolBatch<O> {
  final int[] envIds;
  final Object[] observations;
  final double[] rewards;
  final boolean[] terminated;
  final boolean[] truncated;
  final Object[] infos;
  int size;

  PoolBatch(int capacity) {
    envIds = new int[capacity];
    observations = new Object[capacity];
    rewards = new double[capacity];
    terminated = new boolean[capacity];
    truncated = new boolean[capacity];
    infos = new Object[capacity];
  }

  public int size() {
    return size;
  }

  public int envId(int k) {
    check(k);
    return envIds[k];
  }

  /** The ids of this batch, entry k for entry k (a copy). */
  public int[] envIds() {
    return Arrays.copyOf(envIds, size);
  }

  @SuppressWarnings("unchecked")
  public O observation(int k) {
    check(k);
    return (O) observations[k];
  }

  public double reward(int k) {
    check(k);
    return rewards[k];
  }

  public boolean terminated(int k) {
    check(k);
    return terminated[k];
  }

  public boolean truncated(int k) {
    check(k);
    return truncated[k];
  }

  /** Whether entry k's episode ended, so that its next step is an autoreset. */
  public boolean done(int k) {
    check(k);
    return terminated[k] || truncated[k];
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> info(int k) {
    check(k);
    return (Map<String, Object>) infos[k];
  }

  private void check(int k) {
    if (k < 0 || k >= size) {
      throw new IndexOutOfBoundsException("batch entry " + k + " of " + size);
    }
  }
}
