package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ghost-gym seed-bridge}: serves until stopped, answers with the chosen policy, rejects bad
 * input.
 */
class SeedBridgeCommandTest {

  @Test
  void servesTheSeedAgentUntilStopped() throws Exception {
    try (ServerSocket agent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        ServerSocket probe = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      int metricsPort = probe.getLocalPort();
      probe.close(); // a free port for the bridge
      SeedBridgeCommand.stop = new CountDownLatch(1);
      AtomicReference<Cli> result = new AtomicReference<>();
      Thread t =
          new Thread(
              () ->
                  result.set(
                      Cli.run(
                          "seed-bridge",
                          "--policy",
                          "fifo",
                          "--metrics-port",
                          Integer.toString(metricsPort),
                          "--action-port",
                          Integer.toString(agent.getLocalPort()))));
      t.start();
      // The bridge drops an answer it cannot send within the agent's 20 ms (the agent would read
      // it as the answer to its next question). A loaded machine can delay the bridge past that,
      // so the question is asked again until one answer arrives; every other ask must then be
      // counted late, never answered.
      int asked = 0;
      Integer position = null;
      agent.setSoTimeout(3_000);
      try {
        while (position == null && asked < 20) {
          ask(metricsPort);
          asked++;
          position = readAnswer(agent);
        }
      } finally {
        SeedBridgeCommand.stop
            .countDown(); // a failed check must not leave the bridge holding Cli's lock
      }
      assertEquals(1, position, "a woken task behind one queued task");
      t.join(5_000);
      assertEquals(0, result.get().code(), result.get().err());
      assertTrue(
          result.get().out().contains("metrics on 127.0.0.1:" + metricsPort), result.get().out());
      String out = result.get().out();
      long received = stat(out, "received");
      assertEquals(1, stat(out, "answered"), out);
      assertEquals(received, stat(out, "actionable"), out);
      assertEquals(
          received - 1, stat(out, "late"), "every other question dropped, not sent: " + out);
      assertEquals(asked, received + stat(out, "readTimeouts"), "every question counted: " + out);
    }
  }

  /** One count of the bridge's printed {@code Stats[...]}. */
  private static long stat(String out, String name) {
    Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(out);
    assertTrue(m.find(), name + " in " + out);
    return Long.parseLong(m.group(1));
  }

  /** Sends one metrics message (a woken task behind one queued task) once the bridge listens. */
  private static void ask(int metricsPort) throws Exception {
    Socket s = null;
    for (int i = 0; i < 200 && s == null; i++) {
      try {
        s = new Socket(InetAddress.getLoopbackAddress(), metricsPort);
      } catch (ConnectException e) {
        Thread.sleep(20);
      }
    }
    assertTrue(s != null, "the bridge listens");
    try (Socket m = s) {
      DataOutputStream out = new DataOutputStream(m.getOutputStream());
      out.writeInt(16);
      long[] v = {1, 1, 1, 0, 0, 5, 5, 0, 4096, 2, 0, 0, 1, 1, 0, 4096};
      for (long x : v) out.writeLong(x);
    }
  }

  /**
   * The position the bridge sent, or null when it sent none: no connection within the timeout, or
   * one reset without a position (an answer that became late while connecting).
   */
  private static Integer readAnswer(ServerSocket agent) throws Exception {
    try (Socket a = agent.accept()) {
      return new DataInputStream(a.getInputStream()).readInt();
    } catch (SocketTimeoutException | EOFException | SocketException e) {
      return null;
    }
  }

  @Test
  void badPortsAndPoliciesAreUsageErrors() {
    assertEquals(2, Cli.run("seed-bridge", "--action-port", "0").code());
    assertEquals(2, Cli.run("seed-bridge", "--policy", "nope").code());
  }
}
