package dev.ghostgym.gym.vector;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.spaces.Space;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * An async vector env whose sub-envs live in Pekko actors: the envs are cut into contiguous slices,
 * one worker actor owns each slice (created, stepped and closed only by it) on a dispatcher of
 * {@code ghost-gym.vector-dispatcher}, and a step is one message per worker with its slice of the
 * actions: a batch, not a hand-off per env. The caller steps the first slice itself while the
 * workers run, then spins briefly and parks until the last worker is done (on 2 cores a caller that
 * only waited would take a core from a worker). Same results as {@link SyncVectorEnv} whatever the
 * number of workers, including next-step autoreset, because each slice is a SyncVectorEnv.
 */
public final class ActorVectorEnv<O, A> implements VectorEnv<O, A> {
  private sealed interface Command {}

  private record Reset(Long seed, Map<String, Object> options) implements Command {}

  private record Step(Object[] actions) implements Command {}

  private record Close() implements Command {}

  private static final int SPIN_NANOS = 20_000;

  private final ActorSystem<Void> system;
  private final SyncVectorEnv<O, A> first;
  private final List<ActorRef<Command>> workers = new ArrayList<>();
  private final int[] offsets;
  private final int[] sizes;
  private final Object[] results;
  private final AtomicInteger remaining = new AtomicInteger();
  private volatile Thread waiter;
  private volatile RuntimeException failure;
  private final int n;
  private boolean closed;

  /** {@code slices} = number of slices including the caller's (default: the number of cores). */
  public ActorVectorEnv(List<? extends Supplier<? extends Env<O, A>>> envFns, int slices) {
    n = envFns.size();
    if (n == 0) throw new IllegalArgumentException("ActorVectorEnv: needs at least one env");
    int k = Math.max(1, Math.min(slices, n));
    offsets = new int[k];
    sizes = new int[k];
    for (int i = 0; i < k; i++) {
      offsets[i] = i * n / k;
      sizes[i] = (i + 1) * n / k - offsets[i];
    }
    results = new Object[k];
    first = new SyncVectorEnv<>(envFns.subList(0, sizes[0]));
    system = ActorSystem.create(Behaviors.empty(), "ghost-gym-vector");
    DispatcherSelector dispatcher = DispatcherSelector.fromConfig("ghost-gym.vector-dispatcher");
    for (int i = 1; i < k; i++) {
      List<? extends Supplier<? extends Env<O, A>>> fns =
          envFns.subList(offsets[i], offsets[i] + sizes[i]);
      int slot = i;
      workers.add(system.systemActorOf(worker(fns, slot), "slice-" + i, dispatcher));
    }
  }

  public ActorVectorEnv(List<? extends Supplier<? extends Env<O, A>>> envFns) {
    this(envFns, Runtime.getRuntime().availableProcessors());
  }

  private Behavior<Command> worker(List<? extends Supplier<? extends Env<O, A>>> fns, int slot) {
    return Behaviors.setup(
        ctx -> {
          SyncVectorEnv<O, A> slice =
              new SyncVectorEnv<>(fns); // created by the actor that steps it
          return Behaviors.receive(Command.class)
              .onMessage(Reset.class, r -> done(slot, () -> slice.resetAll(r.seed(), r.options())))
              .onMessage(Step.class, s -> done(slot, () -> slice.step(s.actions())))
              .onMessage(
                  Close.class,
                  c -> {
                    slice.close();
                    return Behaviors.stopped();
                  })
              .build();
        });
  }

  private Behavior<Command> done(int slot, Supplier<Object> work) {
    try {
      results[slot] = work.get();
    } catch (RuntimeException e) {
      failure = e;
    }
    if (remaining.decrementAndGet() == 0) LockSupport.unpark(waiter);
    return Behaviors.same();
  }

  @Override
  public int numEnvs() {
    return n;
  }

  @Override
  public Space<O> singleObservationSpace() {
    return first.singleObservationSpace();
  }

  @Override
  public Space<A> singleActionSpace() {
    return first.singleActionSpace();
  }

  @Override
  @SuppressWarnings("unchecked")
  public VectorReset<O> resetAll(Long seed, Map<String, Object> options) {
    checkOpen();
    for (int i = 1; i < offsets.length; i++) results[i] = null;
    start();
    for (int i = 1; i < offsets.length; i++)
      workers.get(i - 1).tell(new Reset(seed == null ? null : seed + offsets[i], options));
    results[0] = first.resetAll(seed, options);
    await();
    List<O> obs = new ArrayList<>(n);
    List<Map<String, Object>> infos = new ArrayList<>(n);
    for (Object r : results) {
      VectorReset<O> v = (VectorReset<O>) r;
      obs.addAll(v.observations());
      infos.addAll(v.infos());
    }
    return new VectorReset<>(obs, infos);
  }

  @Override
  @SuppressWarnings("unchecked")
  public VectorStep<O> step(Object[] actions) {
    checkOpen();
    if (actions.length != n)
      throw new IllegalArgumentException("actions: expected " + n + ", got " + actions.length);
    start();
    for (int i = 1; i < offsets.length; i++) {
      workers
          .get(i - 1)
          .tell(new Step(Arrays.copyOfRange(actions, offsets[i], offsets[i] + sizes[i])));
    }
    results[0] = first.step(Arrays.copyOfRange(actions, 0, sizes[0]));
    await();
    List<O> obs = new ArrayList<>(n);
    List<Map<String, Object>> infos = new ArrayList<>(n);
    double[] rewards = new double[n];
    boolean[] term = new boolean[n];
    boolean[] trunc = new boolean[n];
    for (int s = 0; s < results.length; s++) {
      VectorStep<O> v = (VectorStep<O>) results[s];
      obs.addAll(v.observations());
      infos.addAll(v.infos());
      System.arraycopy(v.rewards(), 0, rewards, offsets[s], sizes[s]);
      System.arraycopy(v.terminated(), 0, term, offsets[s], sizes[s]);
      System.arraycopy(v.truncated(), 0, trunc, offsets[s], sizes[s]);
    }
    return new VectorStep<>(obs, rewards, term, trunc, infos);
  }

  private void start() {
    waiter = Thread.currentThread();
    failure = null;
    remaining.set(offsets.length - 1);
  }

  private void await() {
    long spinUntil = System.nanoTime() + SPIN_NANOS;
    while (remaining.get() > 0) {
      if (System.nanoTime() < spinUntil) Thread.onSpinWait();
      else LockSupport.parkNanos(this, 1_000_000);
    }
    RuntimeException f = failure;
    if (f != null)
      throw new IllegalStateException("a sub-env failed in its worker: " + f.getMessage(), f);
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("ActorVectorEnv is closed");
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    for (ActorRef<Command> w : workers) w.tell(new Close());
    first.close();
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }
}
