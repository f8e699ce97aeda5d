package dev.ghostgym.live.seed;

import dev.ghostgym.actors.policy.CpuView;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TaskView;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves the earlier prototype's wire protocol (ghost-model.md 2.13) so that its C++
 * {@code rl_scheduler_agent} is driven by a ghost-gym policy: the agent connects to the metrics port
 * once per event and sends a metrics message; when it expects an action, the policy's answer to an
 * INSERT request built from the message (the task and its CPU's run queue) is sent back as a
 * big-endian u32 position on a fresh connection to the action port, where the agent waits in
 * {@code accept} for 20 ms. Non-actionable messages are kept as history and not answered.
 *
 * <p>The metrics port is served by one accept loop on its own thread, with a deep backlog, so no
 * connection is refused; each message is handled right there (microseconds). An answer that cannot
 * reach the agent within the budget is counted late and not sent: the agent has given up and falls
 * back to FIFO, and a late position would be taken as the answer to its next question.
 */
public final class SeedBridge implements AutoCloseable {
  /**
   * @param metricsHost address to listen on for metrics (the agent connects to 127.0.0.1)
   * @param metricsPort 14014 for the agent; 0 picks a free port
   * @param actionHost  where the agent listens for actions
   * @param actionPort  17213 for the agent
   * @param budgetNs    the agent's wait for an action (20 ms)
   * @param tickNs      ns per clock tick of the stat times (10 ms at USER_HZ 100)
   * @param historySize non-actionable messages kept
   */
  public record Options(String metricsHost, int metricsPort, String actionHost, int actionPort, long budgetNs,
                        long tickNs, int historySize) {
    public static Options defaults() {
      return new Options("127.0.0.1", 14014, "127.0.0.1", 17213, 20_000_000L, 10_000_000L, 64);
    }

    public Options withPorts(int metrics, int action) {
      return new Options(metricsHost, metrics, actionHost, action, budgetNs, tickNs, historySize);
    }
  }

  /** Counts since start: messages read, of them actionable, answers sent, late, malformed, unsendable. */
  public record Stats(long received, long actionable, long answered, long late, long malformed, long sendFailures,
                      long fallbacks) {}

  private static final int BACKLOG = 512;
  private static final int READ_TIMEOUT_MS = 100;

  private final PolicyGuard guard;
  private final Options o;
  private final PrintStream log;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong actionable = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();
  private final ArrayDeque<SeedMessage> history = new ArrayDeque<>();
  private volatile DecisionRequest lastRequest;
  private volatile int lastAnswer = -1;
  private ServerSocket server;
  private Thread acceptor;
  private volatile boolean closed;

  public SeedBridge(PolicyGuard guard, Options o, PrintStream log) {
    this.guard = guard;
    this.o = o;
    this.log = log;
  }

  /** Binds the metrics port and starts the accept loop. */
  public synchronized void start() throws IOException {
    if (server != null) throw new IllegalStateException("seed bridge already started");
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(o.metricsHost()), o.metricsPort()), BACKLOG);
    acceptor = new Thread(this::acceptLoop, "seed-bridge-metrics");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The metrics port actually bound. */
  public int port() { return server.getLocalPort(); }

  public Stats stats() {
    return new Stats(received.get(), actionable.get(), answered.get(), late.get(), malformed.get(), sendFailures.get(),
        guard.fallbackTotal());
  }

  /** The most recent non-actionable messages, oldest first. */
  public List<SeedMessage> history() {
    synchronized (history) { return new ArrayList<>(history); }
  }

  /** The last INSERT request put to the policy, or null. */
  public DecisionRequest lastRequest() { return lastRequest; }

  /** The last position sent, or -1. */
  public int lastAnswer() { return lastAnswer; }

  private void acceptLoop() {
    while (!closed) {
      try (Socket s = server.accept()) {
        handle(s, System.nanoTime());
      } catch (IOException e) {
        if (!closed) log.println("seed-bridge: " + e.getMessage());
      } catch (RuntimeException e) {
        log.println("seed-bridge: " + e);
      }
    }
  }

  private void handle(Socket s, long t0) throws IOException {
    SeedMessage m;
    try {
      s.setSoTimeout(READ_TIMEOUT_MS);
      InputStream in = s.getInputStream();
      m = SeedMessage.read(in);
    } catch (IOException | IllegalArgumentException e) {
      malformed.incrementAndGet();
      log.println("seed-bridge: dropped a malformed metrics message: " + e.getMessage());
      return;
    }
    received.incrementAndGet();
    if (!m.actionExpected()) {
      synchronized (history) {
        history.addLast(m);
        while (history.size() > o.historySize()) history.removeFirst();
      }
      return;
    }
    actionable.incrementAndGet();
    int position = decide(m);
    long left = o.budgetNs() - (System.nanoTime() - t0);
    if (left <= 0) {
      late.incrementAndGet();
      return;
    }
    try (Socket a = new Socket()) {
      a.setTcpNoDelay(true);
      a.connect(new InetSocketAddress(o.actionHost(), o.actionPort()), (int) Math.max(1, left / 1_000_000));
      DataOutputStream out = new DataOutputStream(a.getOutputStream());
      out.writeInt(position); // big-endian u32
      out.flush();
      answered.incrementAndGet();
      lastAnswer = position;
    } catch (IOException e) {
      sendFailures.incrementAndGet();
      log.println("seed-bridge: could not send position " + position + " to " + o.actionHost() + ":" + o.actionPort()
          + ": " + e.getMessage());
      return;
    }
    if (System.nanoTime() - t0 > o.budgetNs()) late.incrementAndGet();
  }

  /** The policy's INSERT position for the message's task in its CPU's run queue (FIFO if the policy fails). */
  int decide(SeedMessage m) {
    long now = System.nanoTime();
    TaskView task = m.task().view(now, o.tickNs());
    List<TaskView> rq = new ArrayList<>(m.runQueue().size());
    for (SeedTask t : m.runQueue()) rq.add(t.view(now, o.tickNs()));
    int cpu = m.task().cpu();
    List<CpuView> cpus = cpu < 0 ? List.of() : List.of(new CpuView(cpu, null, -1, rq.size(), true));
    DecisionRequest r = new DecisionRequest(guard.nextId(), DecisionRequest.Kind.INSERT, m.callback().trigger(), cpu,
        task, rq, cpus, now);
    lastRequest = r;
    int answer = guard.decide(r);
    // A deferring policy (a gym agent) cannot answer within 20 ms: the FIFO answer goes instead.
    return answer < 0 || answer > rq.size() ? (m.task().preempted() ? 0 : rq.size()) : answer;
  }

  @Override public synchronized void close() {
    closed = true;
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    if (acceptor != null) {
      try {
        acceptor.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
