package dev.ghostgym.live.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed bridge against a test client that speaks the C++ agent's exact framing on loopback
 * ephemeral ports: metrics to the bridge as a big-endian u32 count and u64 values, one connection
 * per message; the action back as a big-endian u32 on a fresh connection to the "agent"'s listener,
 * which, like the agent, waits for it in accept.
 */
class SeedBridgeTest {
  private static final long MS = 1_000_000;
  private static final long U64_MINUS_ONE = 0xFFFF_FFFF_FFFF_FFFFL; // 2^64-1: how cpu -1 travels

  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
  private ServerSocket agent;
  private SeedBridge bridge;

  private void start(PolicyGuard guard) throws IOException {
    agent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    // These tests check the protocol, not timing: a generous budget keeps them steady on a loaded
    // machine (SeedAgentClientTest holds the bridge to the agent's real 20 ms).
    SeedBridge.Options d = SeedBridge.Options.defaults().withPorts(0, agent.getLocalPort());
    bridge =
        new SeedBridge(
            guard,
            new SeedBridge.Options(
                d.metricsHost(),
                d.metricsPort(),
                d.actionHost(),
                d.actionPort(),
                500 * MS,
                d.tickNs(),
                d.historySize(),
                100 * MS,
                2 * MS),
            log);
    bridge.start();
  }

  private static PolicyGuard policy(String name) {
    return new PolicyGuard(Policies.policy(name, Map.of(), 1), 1_000_000);
  }

  @AfterEach
  void stop() throws IOException {
    if (bridge != null) bridge.close();
    if (agent != null) agent.close();
  }

  /** Sends raw u64 values with the u32 count in front, as the C++ agent does. */
  private void send(long... values) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), bridge.port())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(values.length);
      for (long v : values) out.writeLong(v);
      out.flush();
    }
  }

  /**
   * Sends a message the bridge will reject: it may hang up as soon as it sees the bad part, so the
   * rest of the write can meet a closed connection, which is fine here.
   */
  private void sendMalformed(long... values) throws IOException {
    try {
      send(values);
    } catch (SocketException hungUp) {
      // the bridge closed the connection early, as it may for a malformed message
    }
  }

  /**
   * The agent's side of an action: accept within {@code waitMs}, read 4 bytes; null if none came.
   */
  private Integer awaitAction(int waitMs) throws IOException {
    agent.setSoTimeout(waitMs);
    try (Socket s = agent.accept()) {
      s.setSoTimeout(waitMs);
      return new DataInputStream(s.getInputStream()).readInt();
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  /** Seven fields of one task: run_state, cpu, preempted, utime, stime, guest_time, vsize. */
  private static long[] task(long state, long cpu, long preempted, long utime) {
    return new long[] {state, cpu, preempted, utime, 3, 0, 1 << 20};
  }

  private static long[] message(long expected, long callback, long[] task, long[]... rq) {
    List<Long> v = new ArrayList<>(List.of(expected, callback));
    for (long x : task) v.add(x);
    for (long[] t : rq) for (long x : t) v.add(x);
    return v.stream().mapToLong(Long::longValue).toArray();
  }

  /** Sends one actionable message and returns {position, elapsed ns until the agent had it}. */
  private long[] ask(long[] values) throws IOException {
    long t0 = System.nanoTime();
    send(values);
    Integer pos = awaitAction(1_000);
    long elapsed = System.nanoTime() - t0;
    assertTrue(pos != null, () -> "no action came: " + bridge.stats() + "\n" + logBytes);
    return new long[] {pos, elapsed};
  }

  private void warmUp() throws IOException {
    for (int i = 0; i < 20; i++) ask(message(1, 1, task(2, 1, 0, 5), task(2, 1, 0, 1)));
  }

  // A new task (TASK_NEW via MigrateWithHint) has no CPU yet: cpu is -1, sent as 2^64-1, with an
  // empty run queue, so N = 9 and the only position is 0.
  @Test
  void aNewTaskWithCpuMinusOneGetsPositionZero() throws IOException {
    start(policy("fifo"));
    warmUp();
    long[] r = ask(message(1, 0, task(2, U64_MINUS_ONE, 0, 0)));
    assertEquals(0, r[0]);
    DecisionRequest q = bridge.lastRequest();
    assertEquals(-1, q.cpu(), "2^64-1 decodes as cpu -1");
    assertEquals(DecisionRequest.Kind.INSERT, q.kind());
    assertEquals(DecisionRequest.Trigger.TASK_NEW, q.trigger());
    assertTrue(q.runQueue().isEmpty());
    assertTrue(q.cpus().isEmpty());
  }

  // FIFO: a woken task goes to the back of its CPU's run queue, a preempted one to the front.
  @Test
  void fifoPutsWokenTasksAtTheBackAndPreemptedOnesAtTheFront() throws IOException {
    start(policy("fifo"));
    warmUp();
    long[][] rq = {task(2, 2, 0, 10), task(2, 2, 0, 20), task(2, 2, 1, 30)};
    long[] woken = ask(message(1, 1, task(1, 2, 0, 7), rq));
    assertEquals(3, woken[0]);
    DecisionRequest q = bridge.lastRequest();
    assertEquals(2, q.cpu());
    assertEquals(DecisionRequest.Trigger.TASK_WAKEUP, q.trigger());
    assertEquals(3, q.runQueue().size());
    assertEquals(
        30 * 10 * MS + 3 * 10 * MS,
        q.runQueue().get(2).attainedNs(),
        "utime + stime in ticks of 10 ms");
    assertEquals(List.of(2), q.cpus().stream().map(c -> c.cpu()).toList());
    long[] preempted = ask(message(1, 6, task(2, 2, 1, 7), rq));
    assertEquals(0, preempted[0]);
    assertEquals(DecisionRequest.Trigger.TASK_PREEMPT, bridge.lastRequest().trigger());
    assertEquals(0, bridge.stats().late());
  }

  // The chosen policy answers: round robin sends even a preempted task to the back.
  @Test
  void theChosenPolicyDecides() throws IOException {
    start(policy("rr"));
    long[] r = ask(message(1, 6, task(2, 0, 1, 7), task(2, 0, 0, 1), task(2, 0, 0, 1)));
    assertEquals(2, r[0]);
  }

  // Blocked, dead and departed tasks are sent with action_expected = 0: kept as history, no answer.
  @Test
  void nonActionableMessagesAreHistoryAndGetNoAnswer() throws IOException {
    start(policy("fifo"));
    send(message(0, 5, task(0, 1, 0, 9), task(2, 1, 0, 1)));
    send(message(0, 3, task(0, U64_MINUS_ONE, 0, 9)));
    assertNull(awaitAction(100), "no action for a non-actionable message");
    waitFor(() -> bridge.stats().received() == 2);
    List<SeedMessage> h = bridge.history();
    assertEquals(2, h.size());
    assertEquals(Callback.BLOCKED, h.get(0).callback());
    assertEquals(1, h.get(0).runQueue().size());
    assertEquals(Callback.DEAD, h.get(1).callback());
    assertEquals(-1, h.get(1).task().cpu());
    assertEquals(0, bridge.stats().actionable());
    assertEquals(0, bridge.stats().answered());
  }

  // A broken message is dropped and counted; the bridge keeps serving.
  @Test
  void malformedMessagesAreCountedAndTheBridgeGoesOn() throws IOException {
    start(policy("fifo"));
    sendMalformed(1, 1, 2, 3, 4); // count 5: not 2 + 7k
    sendMalformed(message(1, 9, task(2, 1, 0, 1))); // callback 9
    sendMalformed(message(7, 1, task(2, 1, 0, 1))); // action_expected 7
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), bridge.port())) {
      new DataOutputStream(s.getOutputStream()).writeInt(9); // then nothing: a short message
    }
    assertEquals(0, ask(message(1, 1, task(2, 1, 0, 1)))[0]);
    waitFor(() -> bridge.stats().malformed() == 4);
    assertTrue(
        logBytes.toString(StandardCharsets.UTF_8).contains("callback_type is 9"),
        logBytes.toString());
    // The client has the answer before the bridge counts it: wait for the count.
    waitFor(() -> bridge.stats().answered() == 1);
  }

  // The agent connects once per event: a burst of connections is accepted and answered in order.
  @Test
  void aBurstOfMessagesIsAllAnswered() throws IOException {
    start(policy("fifo"));
    // A cold JVM on a loaded machine can take longer than the 20 ms budget for its first answers
    // (a late answer is not sent); the burst is measured once the bridge is warm.
    for (int i = 0; i < 20; i++) {
      send(message(1, 1, task(2, 3, 0, 1)));
      awaitAction(1_000); // null when the answer was late
    }
    waitFor(
        () ->
            bridge.stats().answered() + bridge.stats().late() + bridge.stats().sendFailures()
                == 20);
    long warm = bridge.stats().answered();
    for (int i = 0; i < 200; i++) {
      long[][] rq = new long[i % 5][];
      Arrays.fill(rq, task(2, 3, 0, 1));
      assertEquals(i % 5, ask(message(1, 4, task(2, 3, 0, 1), rq))[0]);
    }
    waitFor(() -> bridge.stats().answered() == warm + 200); // counted just after the answer is sent
    assertEquals(0, bridge.stats().malformed());
  }

  // A policy slower than the budget: the answer is counted late and not sent, since the
  // agent has fallen back to FIFO and would take it for the answer to its next question.
  @Test
  void aLateAnswerIsCountedAndNotSent() throws IOException {
    Policy slow =
        new Policy() {
          @Override
          public String name() {
            return "slow";
          }

          @Override
          public Model model() {
            return Model.PER_CPU;
          }

          @Override
          public int decide(DecisionRequest r) {
            try {
              Thread.sleep(600);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return 0;
          }
        };
    start(new PolicyGuard(slow, 1_000_000));
    send(message(1, 1, task(2, 1, 0, 1), task(2, 1, 0, 1)));
    assertNull(awaitAction(700));
    waitFor(() -> bridge.stats().late() == 1);
    assertEquals(0, bridge.stats().answered());
  }

  @Test
  void theWireFormRoundTrips() throws IOException {
    SeedMessage m =
        new SeedMessage(
            true,
            Callback.YIELD,
            new SeedTask(2, -1, false, 1, 2, 3, 4),
            List.of(new SeedTask(2, 5, true, 6, 7, 8, 9)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    m.write(bytes);
    byte[] b = bytes.toByteArray();
    assertEquals(4 + 16 * 8, b.length);
    assertEquals(16, b[3], "count 16 = 2 + 7 x 2, big-endian");
    for (int i = 4 + 3 * 8; i < 4 + 4 * 8; i++) assertEquals((byte) 0xFF, b[i], "cpu -1 is 2^64-1");
    assertEquals(m, SeedMessage.read(new ByteArrayInputStream(b)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SeedMessage.decode(message(1, 1, task(2, 1L << 40, 0, 0))));
    assertTrue(e.getMessage().startsWith("cpu is 1099511627776"), e.getMessage());
  }

  private static void waitFor(BooleanSupplier c) {
    long deadline = System.nanoTime() + 2_000 * MS;
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 2 s");
      Thread.yield(); // not a busy spin: the bridge's threads need the CPU on a 2-core machine
    }
  }
}
