package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
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
      agent.setSoTimeout(
          20_000); // a loaded 2-core CI machine can take seconds to schedule the bridge
      try (Socket a = agent.accept()) {
        assertEquals(
            1,
            new DataInputStream(a.getInputStream()).readInt(),
            "a woken task behind one queued task");
      } finally {
        SeedBridgeCommand.stop
            .countDown(); // a failed check must not leave the bridge holding Cli's lock
      }
      t.join(5_000);
      assertEquals(0, result.get().code(), result.get().err());
      assertTrue(
          result.get().out().contains("metrics on 127.0.0.1:" + metricsPort), result.get().out());
      assertTrue(
          result.get().out().contains("received=1, actionable=1, answered=1, late=0"),
          result.get().out());
    }
  }

  @Test
  void badPortsAndPoliciesAreUsageErrors() {
    assertEquals(2, Cli.run("seed-bridge", "--action-port", "0").code());
    assertEquals(2, Cli.run("seed-bridge", "--policy", "nope").code());
  }
}
