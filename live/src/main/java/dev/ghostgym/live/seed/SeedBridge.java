package dev.ghostgym.live.seed;

import dev.ghostgym.actors.policy.CpuView;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TaskView;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves the earlier prototype's wire protocol (docs/KERNEL-MODEL.md §2.13) so that its C++ {@code
 * rl_scheduler_agent} is driven by a ghost-gym policy: the agent connects to the metrics port once
 * per event and sends a metrics message; when it expects an action, the policy's answer to an
 * INSERT request built from the message (the task and its CPU's run queue) is sent back as a
 * big-endian u32 position on a fresh connection to the action port, where the agent waits in {@code
 * accept} for 20 ms. Non-actionable messages are kept as history and not answered.
 *
 * <p>Connections are served concurrently: one acceptor hands each to a pool, and a whole message
 * must arrive within {@link Options#readDeadlineNs} of its accept (a per-message deadline, not a
 * per-read timeout, so a client that trickles bytes is cut off), so a client that connects and
 * never sends delays nobody else.
 *
 * <p>An answer is never sent when it may be late, because the protocol carries no tag: the agent
 * that gave up on question k accepts a late answer as the answer to question k+1, and every answer
 * after it is off by one. Lateness is measured from the earliest moment the question could have
 * been sent: the start of the last {@code accept} that found the backlog empty before the
 * connection was taken (the agent connected after that, and sent after connecting). An answer that
 * cannot be written within {@code budgetNs - safetyNs} of that moment is dropped and counted {@code
 * late}; a connection already open when the deadline passes is reset, not written, so the agent's
 * next accept reads nothing rather than a wrong position.
 *
 * <p>One agent CPU only: answers carry no tag and every agent thread listens on the same action
 * port, so with two agent threads an answer can reach the wrong one. The bridge warns (once) when
 * messages show a second agent CPU or a question arrives while another is being answered.
 */
public final class SeedBridge implements AutoCloseable {
  /**
   * @param metricsHost address to listen on for metrics (the agent connects to 127.0.0.1)
   * @param metricsPort 14014 for the agent; 0 picks a free port
   * @param actionHost where the agent listens for actions
   * @param actionPort 17213 for the agent
   * @param budgetNs the agent's wait for an action (20 ms)
   * @param tickNs ns per clock tick of the stat times (10 ms at USER_HZ 100)
   * @param historySize non-actionable messages kept
   * @param readDeadlineNs a whole metrics message must arrive within this of its accept (5 ms)
   * @param safetyNs an answer is sent only if it can land this long before the budget ends (2 ms)
   */
  public record Options(
      String metricsHost,
      int metricsPort,
      String actionHost,
      int actionPort,
      long budgetNs,
      long tickNs,
      int historySize,
      long readDeadlineNs,
      long safetyNs) {
    public Options {
      if (readDeadlineNs <= 0 || readDeadlineNs + safetyNs >= budgetNs) {
        throw new IllegalArgumentException(
            "seed bridge: the read deadline ("
                + readDeadlineNs / 1e6
                + " ms) plus the"
                + " safety margin ("
                + safetyNs / 1e6
                + " ms) must fit inside the budget ("
                + budgetNs / 1e6
                + " ms)");
      }
    }

    public static Options defaults() {
      return new Options(
          "127.0.0.1",
          14014,
          "127.0.0.1",
          17213,
          20_000_000L,
          10_000_000L,
          64,
          5_000_000L,
          2_000_000L);
    }

    public Options withPorts(int metrics, int action) {
      return new Options(
          metricsHost,
          metrics,
          actionHost,
          action,
          budgetNs,
          tickNs,
          historySize,
          readDeadlineNs,
          safetyNs);
    }

    public Options withReadDeadlineNs(long ns) {
      return new Options(
          metricsHost,
          metricsPort,
          actionHost,
          actionPort,
          budgetNs,
          tickNs,
          historySize,
          ns,
          safetyNs);
    }
  }

  /**
   * Counts since start: messages read, of them actionable, answers sent, answers dropped because
   * they may have been late, malformed messages, answers that could not be sent, policy fallbacks,
   * messages cut off by the read deadline, and the agent CPUs seen (more than one is unsupported).
   */
  public record Stats(
      long received,
      long actionable,
      long answered,
      long late,
      long malformed,
      long sendFailures,
      long fallbacks,
      long readTimeouts,
      int agentCpus) {}

  private static final int BACKLOG = 512;
  private static final int WORKERS = 8;
  private static final long POLL_MS = 1;
  private static final int WARM_UP_DECISIONS = 2_000;
  private static final long WARM_UP_NS = 200_000_000L;

  private final PolicyGuard guard;
  private final Options o;
  private final PrintStream log;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong actionable = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicLong readTimeouts = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AgentThreads agents;
  private final MessageHistory history;
  private long accepted;
  private volatile DecisionRequest lastRequest;
  private ServerSocketChannel server;
  private Selector selector;
  private ExecutorService workers;
  private Thread acceptor;
  private volatile boolean closed;

  public SeedBridge(PolicyGuard guard, Options o, PrintStream log) {
    if (guard.policy().oracle()) {
      throw new IllegalArgumentException(
          "seed bridge: policy "
              + guard.policy().name()
              + " reads true service times,"
              + " which only the simulator knows; it cannot drive a live agent");
    }
    this.guard = guard;
    this.o = o;
    this.log = log;
    this.history = new MessageHistory(o.historySize());
    this.agents = new AgentThreads(log);
  }

  /**
   * Warms the decision path (class loading, JIT) on synthetic questions, then binds the metrics
   * port and starts the acceptor and its workers: a cold first decision can take longer than the
   * agent's 20 ms, and would be dropped.
   */
  public synchronized void start() throws IOException {
    if (server != null) throw new IllegalStateException("seed bridge already started");
    warmUp();
    // No connection can be older than the listening socket: the first bound on lateness.
    long listening = System.nanoTime();
    server = ServerSocketChannel.open();
    server.socket().setReuseAddress(true);
    server.bind(
        new InetSocketAddress(InetAddress.getByName(o.metricsHost()), o.metricsPort()), BACKLOG);
    server.configureBlocking(false);
    selector = Selector.open();
    server.register(selector, SelectionKey.OP_ACCEPT);
    AtomicInteger n = new AtomicInteger();
    workers =
        Executors.newFixedThreadPool(
            WORKERS,
            r -> {
              Thread t = new Thread(r, "seed-bridge-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    acceptor = new Thread(() -> acceptLoop(listening), "seed-bridge-metrics");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The metrics port actually bound. */
  public int port() {
    return server.socket().getLocalPort();
  }

  public Stats stats() {
    return new Stats(
        received.get(),
        actionable.get(),
        answered.get(),
        late.get(),
        malformed.get(),
        sendFailures.get(),
        guard.fallbackTotal(),
        readTimeouts.get(),
        agents.count());
  }

  /** The most recent non-actionable messages, oldest first. */
  public List<SeedMessage> history() {
    return history.snapshot();
  }

  /** The last INSERT request put to the policy, or null. */
  public DecisionRequest lastRequest() {
    return lastRequest;
  }

  // Non-blocking accept: a null accept proves the backlog empty at the moment it started, so every
  // connection taken afterwards was made (and its question sent) after that moment. The acceptor
  // looks again every millisecond while idle, so that bound stays within about 1 ms of the truth
  // (a thousand cheap wake-ups a second) instead of reaching back over the whole idle time.
  private void acceptLoop(long listening) {
    long emptyAt = listening;
    while (!closed) {
      try {
        long t = System.nanoTime();
        SocketChannel c = server.accept();
        if (c == null) {
          emptyAt = t;
          selector.select(POLL_MS);
          selector.selectedKeys().clear();
          continue;
        }
        long earliest = emptyAt;
        long seq = accepted++;
        workers.execute(() -> serve(c, earliest, seq));
      } catch (IOException | java.nio.channels.ClosedSelectorException e) {
        if (!closed) log.println("seed-bridge: " + e.getMessage());
      } catch (RuntimeException e) {
        if (!closed) log.println("seed-bridge: " + e);
      }
    }
  }

  private void serve(SocketChannel c, long earliest, long seq) {
    try (Socket s = c.socket()) {
      c.configureBlocking(true);
      handle(s, earliest, System.nanoTime(), seq);
    } catch (IOException e) {
      if (!closed) log.println("seed-bridge: " + e.getMessage());
    } catch (RuntimeException e) {
      log.println("seed-bridge: " + e);
    }
  }

  private void handle(Socket s, long earliest, long acceptedAt, long seq) throws IOException {
    SeedMessage m;
    try {
      m = SeedMessage.read(new DeadlineInputStream(s, acceptedAt + o.readDeadlineNs()));
    } catch (SocketTimeoutException e) {
      // Logged before counted: whoever waits for the count finds the line written.
      log.println(
          "seed-bridge: dropped a metrics message not complete within "
              + o.readDeadlineNs() / 1e6
              + " ms");
      readTimeouts.incrementAndGet();
      return;
    } catch (IOException | IllegalArgumentException e) {
      log.println("seed-bridge: dropped a malformed metrics message: " + e.getMessage());
      malformed.incrementAndGet();
      return;
    }
    received.incrementAndGet();
    agents.saw(m.task().cpu());
    if (!m.actionExpected()) {
      history.keep(m, seq);
      return;
    }
    actionable.incrementAndGet();
    if (inFlight.incrementAndGet() > 1)
      agents.warnOnce("a question arrived while another was being answered");
    try {
      answer(m, earliest);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void answer(SeedMessage m, long earliest) {
    int position = decide(m);
    long deadline = earliest + o.budgetNs() - o.safetyNs();
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      late.incrementAndGet();
      return;
    }
    try (Socket a = new Socket()) {
      a.setTcpNoDelay(true);
      a.connect(
          new InetSocketAddress(o.actionHost(), o.actionPort()),
          (int) Math.max(1, left / 1_000_000));
      if (System.nanoTime() >= deadline) {
        // Connected too late: reset rather than answer, so the agent reads no position at all.
        a.setSoLinger(true, 0);
        late.incrementAndGet();
        return;
      }
      DataOutputStream out = new DataOutputStream(a.getOutputStream());
      out.writeInt(position); // big-endian u32
      out.flush();
      answered.incrementAndGet();
    } catch (IOException e) {
      sendFailures.incrementAndGet();
      log.println(
          "seed-bridge: could not send position "
              + position
              + " to "
              + o.actionHost()
              + ":"
              + o.actionPort()
              + ": "
              + e.getMessage());
    }
  }

  // Bounded in time as well as in count: a slow policy must not hold up the start.
  private void warmUp() {
    long until = System.nanoTime() + WARM_UP_NS;
    for (int i = 0; i < WARM_UP_DECISIONS && System.nanoTime() < until; i++) {
      List<SeedTask> rq = new ArrayList<>();
      for (int j = 0; j < i % 5; j++) rq.add(new SeedTask(2, 0, false, j, 1, 0, 1 << 20));
      decide(
          new SeedMessage(
              true, Callback.RUNNABLE, new SeedTask(2, 0, i % 7 == 0, 1, 1, 0, 1 << 20), rq));
    }
    lastRequest = null;
  }

  /**
   * The policy's INSERT position for the message's task in its CPU's run queue (FIFO if the policy
   * fails).
   */
  int decide(SeedMessage m) {
    long now = System.nanoTime();
    TaskView task = m.task().view(now, o.tickNs());
    List<TaskView> rq = new ArrayList<>(m.runQueue().size());
    for (SeedTask t : m.runQueue()) rq.add(t.view(now, o.tickNs()));
    int cpu = m.task().cpu();
    List<CpuView> cpus = cpu < 0 ? List.of() : List.of(new CpuView(cpu, null, -1, rq.size(), true));
    DecisionRequest r =
        new DecisionRequest(
            guard.nextId(),
            DecisionRequest.Kind.INSERT,
            m.callback().trigger(),
            cpu,
            task,
            rq,
            cpus,
            now);
    lastRequest = r;
    int answer = guard.decide(r);
    // A deferring policy (a gym agent) cannot answer within 20 ms: the FIFO answer goes instead.
    return answer < 0 || answer > rq.size() ? (m.task().preempted() ? 0 : rq.size()) : answer;
  }

  @Override
  public synchronized void close() {
    closed = true;
    try {
      if (selector != null) selector.wakeup();
      if (server != null) server.close();
    } catch (IOException e) {
      // closing anyway
    }
    if (acceptor != null) {
      try {
        acceptor.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      if (selector != null) selector.close();
    } catch (IOException e) {
      // closing anyway
    }
    if (workers != null) {
      // Let answers in flight finish (and be counted) before the stats are read.
      workers.shutdown();
      try {
        if (!workers.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS))
          workers.shutdownNow();
      } catch (InterruptedException e) {
        workers.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
