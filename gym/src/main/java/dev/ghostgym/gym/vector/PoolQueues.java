package dev.ghostgym.gym.vector;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two lock-free rings of {@link PoolVectorEnv}, sized to a power of two at least the number of
 * envs. Neither can overflow: an env id is in at most one of them at a time and only once, so at
 * most {@code numEnvs} ids are ever queued; that bound is also what makes slot reuse safe (position
 * {@code p + capacity} can only be claimed after the id at {@code p} was taken out). No allocation
 * after construction.
 */
final class PoolQueues {
  private PoolQueues() {}

  static int capacityFor(int n) {
    return Integer.highestOneBit(Math.max(1, n - 1)) << 1;
  }

  /**
   * Env ids to step: one producer (the learner, publishing a whole batch with one release store of
   * the tail) and many consumers (the env threads, claiming a position by CAS on the head).
   */
  static final class Tasks {
    private final int[] slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private long pendingTail;

    Tasks(int n) {
      slots = new int[capacityFor(n)];
      mask = slots.length - 1;
    }

    /** Producer: stages an id; visible to consumers after {@link #publish()}. */
    void stage(int id) {
      slots[(int) (pendingTail++ & mask)] = id;
    }

    /**
     * Producer: makes every staged id visible. A volatile store, not just a release: it orders the
     * slot writes before it and the producer's following read of a consumer's parked flag after it.
     */
    void publish() {
      tail.set(pendingTail);
    }

    /** Consumer: the next id, or -1 if none is queued. */
    int poll() {
      while (true) {
        long h = head.get();
        if (h >= tail.getAcquire()) {
          return -1;
        }
        int id = slots[(int) (h & mask)];
        if (head.compareAndSet(h, h + 1)) {
          return id;
        }
      }
    }

    boolean isEmpty() {
      return head.get() >= tail.getAcquire();
    }
  }

  /**
   * Env ids whose result is ready: many producers (env threads, claiming a position with
   * getAndIncrement and filling it with {@code id + 1}) and one consumer (the learner), which takes
   * positions in order; a claimed but not yet filled position reads 0 and is waited for.
   */
  static final class Ready {
    private final AtomicIntegerArray slots;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();
    private long head;

    Ready(int n) {
      slots = new AtomicIntegerArray(capacityFor(n));
      mask = slots.length() - 1;
    }

    /** Producer: the volatile store publishes the env's result fields written before it. */
    void offer(int id) {
      slots.set((int) (tail.getAndIncrement() & mask), id + 1);
    }

    /** Consumer: whether {@link #poll()} would return an id now. */
    boolean hasNext() {
      return slots.get((int) (head & mask)) != 0;
    }

    /** Consumer: the next ready id, or -1. */
    int poll() {
      int i = (int) (head & mask);
      int v = slots.get(i);
      if (v == 0) {
        return -1;
      }
      slots.lazySet(i, 0);
      head++;
      return v - 1;
    }
  }
}
