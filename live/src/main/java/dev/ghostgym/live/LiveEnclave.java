package dev.ghostgym.live;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.ghostfs.NativeException;
import dev.ghostgym.ghostfs.Sys;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.PrioTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the agents of one enclave live: one thread per enclave CPU the agents asked for, pinned
 * there, which becomes that CPU's agent and loops over the agents' passes (drain the ring,
 * dispatch, decide, commit; RUN-yield when idle, or spin for a centralized global agent). The
 * agents ({@code PerCpuAgents}, {@code CentralizedAgents}) allow passes of different CPUs at the
 * same time ({@code AgentHost.concurrentPasses}), so the agent threads share no lock: one agent
 * blocked in its policy, in a page fault or behind a futex holds no other agent back. An engine
 * that does not allow it gets its passes one at a time, under a lock of its own. Every pass is
 * timed ({@link #passTimes()}); the blocking commit or yield that ends it is not part of it.
 *
 * <p>Safety (docs/KERNEL-MODEL.md 2.10): a failing agent thread makes the supervisor stop the other
 * agent threads and destroy the enclave, so its tasks go back to CFS instead of being stranded on
 * CPUs without agents; {@link #close()} stops the agents and destroys the enclave unless it is
 * handed over (rebootless upgrade); a watchdog counts and logs runnable tasks left waiting too
 * long.
 *
 * <p>Rebootless upgrade ({@link Options#upgrade}, docs/KERNEL-MODEL.md 2.11): wait until {@code
 * agent_online} reads 0, become the agents (retrying EBUSY while the old ones leave), re-associate
 * every live task's status word with the new default queue, then {@code discover tasks} and
 * advertise online.
 */
public final class LiveEnclave implements AutoCloseable {
  /**
   * @param pin pin each agent thread to its CPU (off only for the emulated kernel)
   * @param upgrade take over from a running agent process (rebootless upgrade)
   * @param destroyOnClose destroy the enclave on close (false: hand it to the next agent process)
   * @param watchdogNs alarm when a runnable task waits longer than this (0: no watchdog)
   * @param watchdogDestroys an alarm also destroys the enclave (tasks back to CFS)
   * @param onlineWaitMs how long an upgrade waits for {@code agent_online} to read 0
   * @param patienceMs how long {@code become agent} is retried while it answers EBUSY
   * @param supervisorThread run {@link #supervise()} on a thread of its own every 10 ms (else the
   *     caller does, as the emulated kernel does after every agent turn)
   */
  public record Options(
      boolean pin,
      boolean upgrade,
      boolean destroyOnClose,
      long watchdogNs,
      boolean watchdogDestroys,
      long onlineWaitMs,
      long patienceMs,
      boolean supervisorThread) {
    /** A real kernel: pinned threads, a supervisor thread, a 1 s watchdog, destroy on close. */
    public static Options live() {
      return new Options(true, false, true, 1_000_000_000L, false, 10_000, 10_000, true);
    }

    /** The emulated kernel: unpinned threads, the emulator supervises after every turn. */
    public static Options emulated() {
      return new Options(false, false, true, 0, false, 1_000, 1_000, false);
    }

    public Options withUpgrade(boolean on) {
      return new Options(
          pin,
          on,
          destroyOnClose,
          watchdogNs,
          watchdogDestroys,
          onlineWaitMs,
          patienceMs,
          supervisorThread);
    }

    public Options withDestroyOnClose(boolean on) {
      return new Options(
          pin,
          upgrade,
          on,
          watchdogNs,
          watchdogDestroys,
          onlineWaitMs,
          patienceMs,
          supervisorThread);
    }

    public Options withWatchdog(long ns, boolean destroys) {
      return new Options(
          pin, upgrade, destroyOnClose, ns, destroys, onlineWaitMs, patienceMs, supervisorThread);
    }

    public Options withOnlineWaitMs(long ms) {
      return new Options(
          pin,
          upgrade,
          destroyOnClose,
          watchdogNs,
          watchdogDestroys,
          ms,
          patienceMs,
          supervisorThread);
    }

    public Options withPatienceMs(long ms) {
      return new Options(
          pin,
          upgrade,
          destroyOnClose,
          watchdogNs,
          watchdogDestroys,
          onlineWaitMs,
          ms,
          supervisorThread);
    }
  }

  private static final long JOIN_MS = 2_000;

  private final GhostDevice dev;
  private final AgentHost engine;
  private final AgentTurns turns;
  private final Options o;
  private final PrintStream log;
  // Only for an engine whose passes may not overlap (never the built-in agents).
  private final Object serial;
  // Sized by the device's CPUs once it is bound (emulated: when the machine starts).
  private volatile LiveMetrics metrics;
  private volatile PassTimes passTimes;
  private PortListener observer = PortListener.NONE;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Integer> threadCpus = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  // Opened once the enclave is ready (Enclave::Ready): no pass before (WaitForEnclaveReady).
  private final CountDownLatch ready = new CountDownLatch(1);

  private volatile Watchdog watchdog;
  private AgentMemory mem;
  private GhostPort[] ports;
  private volatile boolean stopping;
  private volatile boolean destroyed;
  private boolean started;
  private boolean failureHandled;
  private boolean closed;
  private Thread supervisor;
  private Thread shutdownHook;
  private Warmup warmup;
  private long warmupPasses;
  private long warmupNs;
  private PrioTable prioTable = PrioTable.NONE;

  public LiveEnclave(
      GhostDevice dev, AgentHost engine, AgentTurns turns, Options o, PrintStream log) {
    this.dev = dev;
    this.engine = engine;
    this.turns = turns;
    this.o = o;
    this.log = log;
    this.serial = engine.concurrentPasses() ? null : new Object();
  }

  /** The application's PrioTable the agents read hints from; call before {@link #start()}. */
  public void prioTable(PrioTable table) {
    if (started) throw new IllegalStateException("set the PrioTable before start()");
    this.prioTable = table;
  }

  public GhostDevice device() {
    return dev;
  }

  /** The first failure of an agent thread or of the setup, or null. */
  public Throwable failure() {
    return failure.get();
  }

  /** True once this process destroyed the enclave. */
  public boolean destroyed() {
    return destroyed;
  }

  /** Watchdog alarms so far (0 without a watchdog). */
  public long watchdogAlarms() {
    Watchdog w = watchdog;
    return w == null ? 0 : w.alarms();
  }

  /** Agent passes run so far. */
  public long passes() {
    PassTimes t = passTimes;
    return t == null ? 0 : t.passes();
  }

  /** How long the agents' passes took, and how many each agent ran (null before {@link #start}). */
  public PassTimes passTimes() {
    return passTimes;
  }

  /** The agents' numbers now (null before {@link #start}). */
  public LiveMetrics.Snapshot metrics() {
    LiveMetrics m = metrics;
    return m == null ? null : m.snapshot();
  }

  /**
   * Runs {@code w} in {@link #start()} before anything touches the enclave (JIT warm-up); null:
   * none.
   */
  public void warmUpWith(Warmup w) {
    if (started) throw new IllegalStateException("warm up before the agents start");
    this.warmup = w;
  }

  /** Agent passes the warm-up ran (0 without one). */
  public long warmupPasses() {
    return warmupPasses;
  }

  /** Wall time of the warm-up in ns (0 without one). */
  public long warmupNs() {
    return warmupNs;
  }

  /**
   * Lets {@code o} watch the agents' ports and passes besides the metrics (e.g. to record a
   * timeline); before {@link #start()}. Called on every agent's thread, concurrently: it must be
   * thread-safe.
   */
  public void observe(PortListener o) {
    if (started) throw new IllegalStateException("observe before start");
    observer = o;
  }

  /** Destroys the enclave (or hands it over) when the JVM exits, e.g. on Ctrl-C. */
  public void closeOnExit() {
    shutdownHook = new Thread(this::close, "ghost-gym-enclave-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Sets up the agents: lets them create their queues, starts one thread per CPU they become the
   * agent of, waits until every thread is the agent, re-associates tasks (upgrade), discovers tasks
   * and advertises online. On failure the threads that started are stopped and the error thrown;
   * {@link #close()} then destroys the enclave.
   */
  public void start() {
    if (started) throw new IllegalStateException("live enclave already started");
    started = true;
    if (warmup != null) {
      long t0 = System.nanoTime();
      warmupPasses = warmup.run();
      warmupNs = System.nanoTime() - t0;
      log.printf(
          "ghost-gym live: warmed the decision path up: %,d agent passes in %.0f ms%n",
          warmupPasses, warmupNs / 1e6);
    }
    if (o.upgrade()) UpgradeSteps.awaitOffline(dev, o.onlineWaitMs());
    mem = new AgentMemory(dev.abi(), dev.statusWords(), dev.txns());
    metrics = new LiveMetrics(dev.cpus());
    passTimes = new PassTimes(dev.cpus());
    // Hints come only from an application's PrioTable (agent_data is 0 in every message): say
    // whether one is read, rather than let hint-using policies silently see 0.
    if (prioTable == PrioTable.NONE)
      log.println("ghost-gym live: no application PrioTable is read; every task's hint is 0");
    if (o.watchdogNs() > 0) watchdog = new Watchdog(o.watchdogNs(), dev.statusWords());
    PortListener listener =
        observer == PortListener.NONE ? metrics : PortListener.both(metrics, observer);
    GhostPort setup = GhostPort.forSetup(dev, mem, listener);
    setup.prioTable(prioTable);
    engine.attach(setup); // before the agent threads start: they see what it built
    List<int[]> requests = setup.agentRequests();
    if (requests.isEmpty())
      throw new IllegalStateException("the agents asked to become the agent of no CPU");
    ports = new GhostPort[dev.cpus()];
    CountDownLatch attached = new CountDownLatch(requests.size());
    for (int[] r : requests) {
      int cpu = r[0];
      int fd = r[1];
      if (ports[cpu] != null)
        throw new IllegalStateException("the agents asked twice to become the agent of CPU " + cpu);
      ports[cpu] = new GhostPort(cpu, dev, mem, null, listener);
      ports[cpu].prioTable(prioTable);
      Thread t = new Thread(() -> agentMain(cpu, fd, attached), "ghost-agent-" + cpu);
      t.setDaemon(true);
      threads.add(t);
      threadCpus.add(cpu);
      t.start();
    }
    try {
      if (!attached.await(o.patienceMs() + 5_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "the agent threads did not become agents within " + (o.patienceMs() + 5_000) + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the agents attached", e);
    }
    Throwable f = failure.get();
    if (f != null) {
      stopAgents();
      throw new IllegalStateException("an agent could not attach: " + f.getMessage(), f);
    }
    try {
      if (o.upgrade() && setup.defaultQueue() >= 0)
        UpgradeSteps.reassociate(dev, setup.defaultQueue(), log);
      if (setup.discoverRequested()) dev.discoverTasks();
    } catch (RuntimeException e) {
      stopAgents();
      throw e;
    }
    // Enclave::Ready: the agents start their passes, then the process advertises itself online.
    ready.countDown();
    dev.advertiseOnline();
    if (o.supervisorThread()) {
      supervisor = new Thread(this::superviseLoop, "ghost-gym-supervisor");
      supervisor.setDaemon(true);
      supervisor.start();
    }
  }

  private void agentMain(int cpu, int fd, CountDownLatch attached) {
    boolean agent = false;
    try {
      turns.register(cpu);
      if (o.pin()) Sys.pinCurrentThread(cpu);
      becomeAgent(cpu, fd);
      agent = true;
    } catch (Throwable t) {
      fail(cpu, t);
    } finally {
      attached.countDown();
    }
    if (!agent) return;
    GhostPort port = ports[cpu];
    boolean inTurn = false;
    try {
      ready.await(); // WaitForEnclaveReady (lib/enclave.cc): no pass before discovery is done
      while (!stopping) {
        if (!turns.await(cpu)) break;
        inTurn = true;
        if (stopping) break;
        pass(cpu, port);
        port.finishPass();
        inTurn = false;
        turns.done(cpu);
      }
    } catch (InterruptedException e) {
      // stop() interrupts a thread waiting for its turn
    } catch (Throwable t) {
      fail(cpu, t);
    } finally {
      turns.exited(cpu, inTurn);
    }
  }

  private void pass(int cpu, GhostPort port) {
    if (observer != PortListener.NONE) observer.passBegin(cpu, dev.now());
    long t0 = System.nanoTime();
    if (serial == null) {
      port.beginPass();
      engine.activate(cpu, port);
    } else {
      synchronized (serial) {
        port.beginPass();
        engine.activate(cpu, port);
      }
    }
    passTimes.record(cpu, System.nanoTime() - t0);
    if (observer != PortListener.NONE) observer.passEnd(cpu, dev.now());
  }

  private void becomeAgent(int cpu, int fd) {
    long deadline = System.nanoTime() + o.patienceMs() * 1_000_000;
    while (true) {
      try {
        dev.becomeAgent(cpu, fd);
        return;
      } catch (NativeException e) {
        if (e.errno() != AbiConstants.EBUSY || System.nanoTime() > deadline) throw e;
        sleep(1); // the previous agent of this CPU is still leaving
      }
    }
  }

  private void fail(int cpu, Throwable t) {
    if (failure.compareAndSet(null, t)) {
      log.println("ghost-gym live: the agent of CPU " + cpu + " failed: " + t);
    }
    Thread s = supervisor;
    if (s != null) LockSupport.unpark(s);
  }

  private void superviseLoop() {
    while (!stopping && !closed) {
      try {
        supervise();
      } catch (RuntimeException e) {
        log.println("ghost-gym live: supervisor: " + e);
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  /**
   * One round of supervision, from a thread that is not an agent: after an agent failure, stops the
   * agents and destroys the enclave (its tasks fall back to CFS); otherwise runs the watchdog.
   */
  public void supervise() {
    if (failure.get() != null) {
      if (failureHandled) return;
      failureHandled = true;
      stopAgents();
      destroyEnclave("an agent failed");
      return;
    }
    Watchdog watchdog = this.watchdog;
    if (watchdog == null || stopping || mem == null) return;
    long[][] known = mem.taskWordSnapshot();
    if (watchdog.checkAndLog(dev.now(), known[0], known[1], log) > 0 && o.watchdogDestroys()) {
      stopAgents();
      destroyEnclave("the watchdog fired");
    }
  }

  /** Stops the agent threads; false if one of them did not stop. */
  private boolean stopAgents() {
    stopping = true;
    ready.countDown(); // agents still waiting for the enclave to be ready see that they must stop
    AgentThreadStops.wakeAndInterrupt(threads, threadCpus, turns);
    return AgentThreadStops.joinAll(threads, threadCpus, JOIN_MS, log);
  }

  private void destroyEnclave(String why) {
    if (destroyed) return;
    destroyed = true;
    log.println("ghost-gym live: destroying the enclave (" + why + "); its tasks go back to CFS");
    try {
      dev.destroy();
    } catch (RuntimeException e) {
      log.println("ghost-gym live: destroy failed: " + e.getMessage());
    }
  }

  /**
   * Stops the agents, goes offline, and destroys the enclave unless it is handed over; idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    Thread s = supervisor;
    if (s != null) {
      s.interrupt();
      LockSupport.unpark(s);
      try {
        s.join(JOIN_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // As the C++ agent process does on exit: close agent_online first (a successor may start taking
    // over), stop the agents, wait until the kernel marks each agent's status word CANFREE (the
    // agent has left its CPU), free those words, then destroy or hand over.
    try {
      dev.withdrawOnline();
    } catch (RuntimeException e) {
      log.println("ghost-gym live: going offline failed: " + e.getMessage());
    }
    boolean stopped = stopAgents();
    if (stopped && !destroyed && dev.agentWordsFreedOnExit())
      AgentWordRelease.free(dev, mem, threadCpus, log);
    if (o.destroyOnClose() || failure.get() != null) destroyEnclave("shutdown");
    try {
      // An agent thread still running reads the mappings: leave them to the process's exit.
      if (stopped) dev.close();
    } finally {
      if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
          // the JVM is already exiting
        }
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
