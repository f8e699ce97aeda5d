package dev.ghostgym.gym.vector;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.spaces.Space;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An EnvPool-style asynchronous vector env: {@code numEnvs} envs, stepped by a few env threads, and
 * a learner that never waits for the slowest env. {@link #send(Object[], int[], int)} hands actions
 * to some envs and returns at once; {@link #recv()} returns the first {@code batchSize} envs whose
 * result is ready, with their ids, in the order they finished. With {@code numEnvs = 2 x batchSize}
 * the env threads step one batch while the learner works on the other, so no core idles at a batch
 * barrier (the reason {@link AsyncVectorEnv} and {@link ActorVectorEnv} leave a machine half idle).
 *
 * <p>The hand-off is lock-free: the learner publishes a batch of env ids to a ring with one release
 * store, env threads claim ids by CAS, and finished ids go back through a second ring (see {@link
 * PoolQueues}); a waiting thread spins for {@code spinNanos}, then parks and is unparked by whoever
 * publishes work for it. After construction a send/recv pair allocates nothing of its own: {@link
 * PoolBatch} is refilled in place (the envs' own observations are theirs).
 *
 * <p>Semantics are those of {@link SyncVectorEnv} per env id: reset seeds env i with {@code seed +
 * i}, next-step autoreset, and each env only ever sees its own actions in the order they were sent,
 * so trajectories per env id do not depend on timing or the number of threads. The synchronous
 * {@link VectorEnv} API ({@link #resetAll}, {@link #step(Object[])}) is built on send/recv: all
 * envs sent, all received, results put back in id order. An env is stepped by one thread at a time
 * (any of the env threads; the rings order successive steps). A sub-env's exception is rethrown by
 * the {@code recv} that meets it, naming the env id. Not thread-safe on the learner side: one
 * caller.
 */
public final class PoolVectorEnv<O, A> implements VectorEnv<O, A> {
  private static final long PARK_NANOS =
      10_000_000L; // a safety net only: publishers unpark waiters
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final List<Env<O, A>> envs;
  private final int n;
  private final int batchSize;
  private final long spinNanos;
  private final long learnerSpinNanos;
  private final boolean learnerHelps;
  private final PoolSlots<O, A> slots; // per env request and result
  // learner-side state
  private final boolean[] inFlight;
  private final boolean[] everReset;
  private int inFlightCount;
  private final PoolBatch<O> batch;
  private final PoolBatch<O> all;
  private final PoolQueues.Tasks tasks;
  private final PoolQueues.Ready ready;
  private final Thread[] threads;
  private final AtomicIntegerArray threadParked;
  private final Thread learner;
  private volatile boolean learnerParked;
  private volatile boolean stopping;
  private boolean closed;

  /**
   * {@code availableProcessors - 1} env threads (at least 1) and a learner that steps envs while it
   * waits in {@code recv}, so that as many threads step envs as there are cores; 50 us spin.
   */
  public PoolVectorEnv(List<? extends Supplier<? extends Env<O, A>>> envFns, int batchSize) {
    this(
        envFns,
        batchSize,
        Math.max(1, Math.min(envFns.size(), Runtime.getRuntime().availableProcessors() - 1)),
        50_000,
        true);
  }

  /** As {@link #PoolVectorEnv(List, int, int, long, boolean)} with a learner that only waits. */
  public PoolVectorEnv(
      List<? extends Supplier<? extends Env<O, A>>> envFns,
      int batchSize,
      int threads,
      long spinNanos) {
    this(envFns, batchSize, threads, spinNanos, false);
  }

  /**
   * @param batchSize how many envs {@link #recv()} returns, in [1, numEnvs]
   * @param threads env threads, at least 1
   * @param spinNanos how long a waiting thread spins before it parks
   * @param learnerHelps whether the learner, while {@code recv} waits, steps queued envs itself
   *     (EnvPool's learner only waits; on a machine with few cores a thread that only waits costs a
   *     core or a wake-up per batch)
   */
  public PoolVectorEnv(
      List<? extends Supplier<? extends Env<O, A>>> envFns,
      int batchSize,
      int threads,
      long spinNanos,
      boolean learnerHelps) {
    n = envFns.size();
    if (n == 0) {
      throw new IllegalArgumentException("a vector env needs at least one env factory");
    }
    if (batchSize < 1 || batchSize > n) {
      throw new IllegalArgumentException("batchSize: expected 1.." + n + ", got " + batchSize);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads: expected >= 1, got " + threads);
    }
    this.batchSize = batchSize;
    this.spinNanos = spinNanos;
    this.learnerHelps = learnerHelps;
    // the learner is one more thread: it spins only when a core is left for it
    this.learnerSpinNanos =
        threads < Runtime.getRuntime().availableProcessors() ? spinNanos : spinNanos / 10;
    SyncVectorEnv<O, A> made = new SyncVectorEnv<>(envFns); // creates in order, checks spaces
    envs = made.envs();
    slots = new PoolSlots<>(envs);
    inFlight = new boolean[n];
    everReset = new boolean[n];
    batch = new PoolBatch<>(batchSize);
    all = new PoolBatch<>(n);
    tasks = new PoolQueues.Tasks(n);
    ready = new PoolQueues.Ready(n);
    learner = Thread.currentThread();
    this.threads = new Thread[threads];
    this.threadParked = new AtomicIntegerArray(threads);
    int instance = INSTANCES.incrementAndGet();
    for (int t = 0; t < threads; t++) {
      int index = t;
      this.threads[t] = new Thread(() -> work(index), "gym-pool-" + instance + "-env-" + t);
      this.threads[t].setDaemon(true);
      this.threads[t].start();
    }
  }

  @Override
  public int numEnvs() {
    return n;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Number of env threads. */
  public int threads() {
    return threads.length;
  }

  /** Envs sent and not yet received. */
  public int inFlight() {
    return inFlightCount;
  }

  @Override
  public Space<O> singleObservationSpace() {
    return envs.get(0).observationSpace();
  }

  @Override
  public Space<A> singleActionSpace() {
    return envs.get(0).actionSpace();
  }

  /**
   * Asks every env to reset (env i with {@code seed + i}; null continues the generators); the reset
   * results come back through {@link #recv()}. No env may be in flight.
   */
  public void asyncReset(Long seed, Map<String, Object> options) {
    checkOpen();
    if (inFlightCount != 0) {
      throw new IllegalStateException(
          "asyncReset: " + inFlightCount + " envs are still in flight; recv them first");
    }
    slots.resetOptions = options == null ? Map.of() : options;
    for (int i = 0; i < n; i++) {
      slots.op[i] = PoolSlots.RESET;
      slots.seeds[i] = seed == null ? -1 : seed + i;
      inFlight[i] = true;
      everReset[i] = true;
      tasks.stage(i);
    }
    inFlightCount = n;
    publish(n);
  }

  /**
   * Sends {@code actions[k]} to env {@code envIds[k]} for k &lt; count and returns at once. Each id
   * must be reset already and not in flight (sent and not received), and appear once.
   */
  public void send(Object[] actions, int[] envIds, int count) {
    checkOpen();
    if (count < 0 || count > envIds.length || count > actions.length) {
      throw new IllegalArgumentException(
          "send: count "
              + count
              + " exceeds actions ("
              + actions.length
              + ") or envIds ("
              + envIds.length
              + ")");
    }
    for (int k = 0; k < count; k++) {
      int id = envIds[k];
      String bad =
          id < 0 || id >= n
              ? "is not in 0.." + (n - 1)
              : inFlight[id]
                  ? "is already in flight"
                  : !everReset[id] ? "was never reset (call asyncReset or resetAll first)" : null;
      if (bad != null) {
        for (int j = 0; j < k; j++) {
          inFlight[envIds[j]] = false;
        }
        throw new IllegalArgumentException("send: env id " + id + " " + bad);
      }
      inFlight[id] = true;
    }
    for (int k = 0; k < count; k++) {
      int id = envIds[k];
      slots.op[id] = PoolSlots.STEP;
      slots.actions[id] = actions[k];
      tasks.stage(id);
    }
    inFlightCount += count;
    publish(count);
  }

  /** {@link #send(Object[], int[], int)} with {@code count = envIds.length}. */
  public void send(Object[] actions, int[] envIds) {
    send(actions, envIds, envIds.length);
  }

  /**
   * Waits for the first {@code batchSize} envs to be ready and returns them (a reused object, see
   * {@link PoolBatch}). Throws instead of waiting forever if fewer than {@code batchSize} are in
   * flight.
   */
  public PoolBatch<O> recv() {
    checkOpen();
    if (inFlightCount < batchSize) {
      throw new IllegalStateException(
          "recv: only " + inFlightCount + " envs in flight, batch size is " + batchSize);
    }
    collect(batch, batchSize);
    return batch;
  }

  @Override
  public VectorReset<O> resetAll(Long seed, Map<String, Object> options) {
    asyncReset(seed, options);
    collect(all, n);
    List<O> o = new ArrayList<>(n);
    List<Map<String, Object>> in = new ArrayList<>(n);
    Object[] byId = new Object[2 * n];
    for (int k = 0; k < n; k++) {
      byId[all.envIds[k]] = all.observations[k];
      byId[n + all.envIds[k]] = all.infos[k];
    }
    for (int i = 0; i < n; i++) {
      o.add(cast(byId[i]));
      in.add(info(byId[n + i]));
    }
    return new VectorReset<>(o, in);
  }

  @Override
  public VectorStep<O> step(Object[] actions) {
    checkOpen();
    if (actions.length != n) {
      throw new IllegalArgumentException(
          "step got " + actions.length + " actions for " + n + " envs");
    }
    for (int i = 0; i < n; i++) {
      if (!everReset[i]) {
        throw new IllegalStateException("Cannot call step() on a vector env before resetAll()");
      }
    }
    int[] ids = new int[n];
    Arrays.setAll(ids, i -> i);
    send(actions, ids, n);
    collect(all, n);
    Object[] o = new Object[n];
    Object[] in = new Object[n];
    double[] r = new double[n];
    boolean[] te = new boolean[n];
    boolean[] tr = new boolean[n];
    for (int k = 0; k < n; k++) {
      int id = all.envIds[k];
      o[id] = all.observations[k];
      in[id] = all.infos[k];
      r[id] = all.rewards[k];
      te[id] = all.terminated[k];
      tr[id] = all.truncated[k];
    }
    List<O> ol = new ArrayList<>(n);
    List<Map<String, Object>> il = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ol.add(cast(o[i]));
      il.add(info(in[i]));
    }
    return new VectorStep<>(ol, r, te, tr, il);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopping = true;
    for (Thread t : threads) {
      LockSupport.unpark(t);
    }
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    slots.closeEnvs();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("PoolVectorEnv is closed");
    }
  }

  /** Publishes the staged ids and wakes up to {@code count} parked env threads. */
  private void publish(int count) {
    tasks.publish();
    int woken = 0;
    for (int t = 0; t < threads.length && woken < count; t++) {
      if (parked(t)) {
        LockSupport.unpark(threads[t]);
        woken++;
      }
    }
  }

  private void collect(PoolBatch<O> into, int count) {
    int got = 0;
    long deadline = 0;
    RuntimeException failure = null;
    while (got < count) {
      int id = ready.poll();
      if (id >= 0) {
        inFlight[id] = false;
        inFlightCount--;
        if (slots.errors[id] != null && failure == null) {
          failure = slots.errors[id];
          slots.errors[id] = null;
        }
        slots.copyResult(id, into, got);
        got++;
        deadline = 0;
        continue;
      }
      if (learnerHelps) {
        int task = tasks.poll();
        if (task >= 0) {
          slots.run(task);
          ready.offer(task);
          continue;
        }
      }
      long now = System.nanoTime();
      if (deadline == 0) {
        deadline = now + learnerSpinNanos;
      }
      if (now - deadline < 0) {
        Thread.onSpinWait();
      } else {
        learnerParked = true;
        if (!ready.hasNext()) {
          LockSupport.parkNanos(this, PARK_NANOS);
        }
        learnerParked = false;
      }
    }
    into.size = got;
    if (failure != null) {
      throw failure;
    }
  }

  // ---- env threads ----

  private boolean parked(int t) {
    return threadParked.get(t) != 0;
  }

  private void setParked(int t, boolean p) {
    threadParked.set(t, p ? 1 : 0); // volatile: ordered before the worker's re-check of the ring
  }

  private void work(int t) {
    long deadline = 0;
    while (!stopping) {
      int id = tasks.poll();
      if (id >= 0) {
        slots.run(id);
        ready.offer(id);
        if (learnerParked) {
          LockSupport.unpark(learner);
        }
        deadline = 0;
        continue;
      }
      long now = System.nanoTime();
      if (deadline == 0) {
        deadline = now + spinNanos;
      }
      if (now - deadline < 0) {
        Thread.onSpinWait();
      } else {
        setParked(t, true);
        if (tasks.isEmpty() && !stopping) {
          LockSupport.parkNanos(this, PARK_NANOS);
        }
        setParked(t, false);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private O cast(Object o) {
    return (O) o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> info(Object o) {
    return (Map<String, Object>) o;
  }
}
