package dev.ghostgym.actors.enclave;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * An executor whose tasks run only when a caller waiting for a result runs them: {@link #execute}
 * enqueues, and the simulation thread drains the queue ({@link #runUntil}) while it waits for an
 * actor's reply. As the dispatcher of a simulation's actors it makes a tell plus reply cost a few
 * hundred ns with no thread hand-off (a park/unpark round trip costs 40-80 us on these machines),
 * and it is deterministic: tasks run in the order they were submitted, on the caller's thread.
 *
 * <p>Actors on it progress only while someone drains it. Tasks submitted from other threads (a test
 * probe, a timer) wait in the queue until then; a caller waiting for them parks until one arrives.
 * {@link #shutdown} is what Pekko calls on an idle dispatcher before making its executor again from
 * the same factory, so it only marks the executor; tasks are still accepted and run.
 */
public final class CallerRunsExecutor extends AbstractExecutorService {
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private volatile Thread waiter;
  private volatile boolean shutdown;

  @Override
  public void execute(Runnable task) {
    queue.offer(task);
    Thread w = waiter;
    if (w != null) LockSupport.unpark(w);
  }

  /** Runs queued tasks (and the tasks they submit) until none is left; returns how many ran. */
  public int runQueued() {
    int n = 0;
    Runnable r;
    while ((r = queue.poll()) != null) {
      r.run();
      n++;
    }
    return n;
  }

  /**
   * Runs queued tasks until {@code done} holds. When the queue is empty and {@code done} does not
   * hold yet, waits for a task from another thread, at most {@code timeoutNs} in all.
   *
   * @throws IllegalStateException when the time is up (an actor that never replies)
   */
  public void runUntil(BooleanSupplier done, long timeoutNs) {
    long deadline = 0;
    while (!done.getAsBoolean()) {
      Runnable r = queue.poll();
      if (r != null) {
        r.run();
        continue;
      }
      if (deadline == 0) deadline = System.nanoTime() + timeoutNs;
      waitForTask(deadline, timeoutNs);
    }
  }

  private void waitForTask(long deadline, long timeoutNs) {
    waiter = Thread.currentThread();
    try {
      while (queue.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "caller-runs executor: the awaited reply did not come within "
                  + TimeUnit.NANOSECONDS.toMillis(timeoutNs)
                  + " ms and no task is queued");
        }
        LockSupport.parkNanos(this, left);
      }
    } finally {
      waiter = null;
    }
  }

  /** Tasks waiting to run. */
  public int queued() {
    return queue.size();
  }

  /**
   * Makes the executor usable again after Pekko's idle shutdown (its factory hands out this
   * instance).
   */
  CallerRunsExecutor reopen() {
    shutdown = false;
    return this;
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }
}
