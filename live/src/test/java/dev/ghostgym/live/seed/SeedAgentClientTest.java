package dev.ghostgym.live.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge against a client that makes the C++ agent's socket calls (docs/KERNEL-MODEL.md 2.13):
 * an action listener with backlog 1 and a 20 ms receive timeout (so {@code accept} and the 4-byte
 * read each give up after 20 ms), one metrics connection per question, FIFO fallback when no answer
 * comes. Question k carries a run queue of {@code k % 7} tasks, so the FIFO position that answers
 * it is {@code k % 7}, and an answer meant for another question is seen as a mismatch.
 */
class SeedAgentClientTest {
  private static final int RCVTIMEO_MS = 20;

  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
  private ServerSocket actions;
  private SeedBridge bridge;

  /** FIFO with a delay per question (ns, by run-queue length and call count): a slow bridge. */
  private static PolicyGuard fifoWithDelay(LongUnaryOperator delayNs) {
    Policy p =
        new Policy() {
          private long calls;

          @Override
          public String name() {
            return "slow-fifo";
          }

          @Override
          public Model model() {
            return Model.PER_CPU;
          }

          @Override
          public int decide(DecisionRequest r) {
            long ns = delayNs.applyAsLong(calls++);
            if (ns > 0) {
              try {
                Thread.sleep(ns / 1_000_000, (int) (ns % 1_000_000));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return r.runQueue().size();
          }
        };
    return new PolicyGuard(p, 1_000_000_000L);
  }

  private void start(PolicyGuard guard) throws IOException {
    actions = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); // listen(fd, 1)
    actions.setSoTimeout(RCVTIMEO_MS); // SO_RCVTIMEO 20 ms
    bridge =
        new SeedBridge(
            guard, SeedBridge.Options.defaults().withPorts(0, actions.getLocalPort()), log);
    bridge.start();
  }

  @AfterEach
  void stop() throws IOException {
    if (bridge != null) bridge.close();
    if (actions != null) actions.close();
  }

  private static byte[] question(int k, int cpu) throws IOException {
    List<SeedTask> rq = new ArrayList<>();
    for (int i = 0; i < k % 7; i++) rq.add(new SeedTask(2, cpu, false, i, 1, 0, 1 << 20));
    SeedMessage m =
        new SeedMessage(true, Callback.RUNNABLE, new SeedTask(2, cpu, false, 5, 1, 0, 1 << 20), rq);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    m.write(b);
    return b.toByteArray();
  }

  /**
   * One EnqueueWithHint: send, accept for 20 ms, read 4 bytes for 20 ms; null means FIFO fallback.
   */
  private Integer ask(int k, int cpu) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), bridge.port())) {
      s.setSoTimeout(RCVTIMEO_MS);
      s.getOutputStream().write(question(k, cpu));
    }
    try (Socket a = actions.accept()) {
      a.setSoTimeout(RCVTIMEO_MS);
      return new DataInputStream(a.getInputStream()).readInt();
    } catch (IOException timeoutOrReset) {
      return null;
    }
  }

  private record Run(int answered, int fallbacks, List<String> wrong) {}

  private Run askMany(int n) throws IOException {
    int answered = 0;
    int fallbacks = 0;
    List<String> wrong = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Integer pos = ask(k, 1);
      if (pos == null) {
        fallbacks++;
      } else {
        answered++;
        if (pos != k % 7) wrong.add("question " + k + " got " + pos + ", expected " + k % 7);
      }
    }
    return new Run(answered, fallbacks, wrong);
  }

  // A prompt bridge answers every question, each with its own answer.
  @Test
  void everyQuestionGetsItsOwnAnswer() throws IOException {
    start(fifoWithDelay(k -> 0));
    Run r = askMany(150);
    assertEquals(List.of(), r.wrong());
    // On a quiet machine all are answered; a loaded shared 2-core machine misses some (the agent
    // falls back), which is allowed: what is never allowed is a wrong answer.
    assertTrue(r.answered() >= 75, "answered " + r.answered() + " of 150: " + bridge.stats());
    assertEquals(1, bridge.stats().agentCpus());
  }

  // A slow bridge: every third decision takes 15-25 ms, around the agent's 20 ms. The agent falls
  // back on those, and no late answer is ever taken for a later question.
  @Test
  void aSlowBridgeNeverAnswersTheWrongQuestion() throws IOException {
    start(fifoWithDelay(k -> k % 3 == 2 ? 15_000_000L + (k % 11) * 1_000_000L : 0));
    Run r = askMany(90);
    assertEquals(List.of(), r.wrong(), "answers applied to the wrong question");
    assertTrue(
        r.fallbacks() >= 20, "the slow decisions made the agent fall back: " + r.fallbacks());
    assertTrue(
        r.answered() >= 20,
        "the prompt ones were answered: " + r.answered() + ": " + bridge.stats());
    waitFor(() -> bridge.stats().late() >= 20);
  }

  // Idle and trickling clients hold connections open; the agent's questions are still answered in
  // time, and the stalled connections are cut off at the read deadline and counted.
  @Test
  void clientsThatNeverSendOrTrickleDelayNobody() throws Exception {
    start(fifoWithDelay(k -> 0));
    List<Socket> idle = new ArrayList<>();
    for (int i = 0; i < 3; i++)
      idle.add(new Socket(InetAddress.getLoopbackAddress(), bridge.port()));
    Socket trickler = new Socket(InetAddress.getLoopbackAddress(), bridge.port());
    Thread trickle =
        new Thread(
            () -> {
              try {
                OutputStream out = trickler.getOutputStream();
                for (byte b : question(3, 1)) {
                  out.write(b);
                  out.flush();
                  Thread.sleep(2);
                }
              } catch (IOException | InterruptedException e) {
                // cut off by the bridge, as expected
              }
            });
    trickle.start();
    Run r = askMany(30);
    assertEquals(List.of(), r.wrong());
    // Served one at a time with a read timeout (the old bridge), every question would wait behind
    // the stalled clients and none would be answered within the agent's 20 ms.
    assertTrue(
        r.answered() >= 15,
        "answered " + r.answered() + " of 30 next to 4 stalled clients: " + bridge.stats());
    waitFor(
        () ->
            bridge.stats().readTimeouts()
                >= 4); // the four stalled clients (and, under load, maybe more)
    trickle.join(5_000);
    for (Socket s : idle) s.close();
    trickler.close();
  }

  // Two agent CPUs share the one action port: the bridge serves them but warns, once.
  @Test
  void aSecondAgentCpuIsDetectedAndWarned() throws IOException {
    start(fifoWithDelay(k -> 0));
    ask(1, 1);
    ask(2, 2);
    ask(3, 2);
    waitFor(() -> bridge.stats().agentCpus() == 2);
    String text = logBytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("warning: metrics for CPUs [1, 2]"), text);
    assertEquals(1, text.split("warning:", -1).length - 1, "warned once");
  }

  @Test
  void oraclePoliciesAreRefused() {
    Policy oracle =
        new Policy() {
          @Override
          public String name() {
            return "peek";
          }

          @Override
          public Model model() {
            return Model.PER_CPU;
          }

          @Override
          public boolean oracle() {
            return true;
          }

          @Override
          public int decide(DecisionRequest r) {
            return 0;
          }
        };
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new SeedBridge(
                    new PolicyGuard(oracle, 1_000_000), SeedBridge.Options.defaults(), log));
    assertTrue(e.getMessage().contains("peek reads true service times"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> SeedBridge.Options.defaults().withReadDeadlineNs(19_000_000L),
        "the read deadline must fit the budget");
  }

  private static void waitFor(java.util.function.BooleanSupplier c) {
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 3 s");
      Thread.yield();
    }
  }
}
