package dev.ghostgym.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.ghostfs.EnclaveHandle;
import dev.ghostgym.ghostfs.Ghostfs;
import dev.ghostgym.ghostfs.NativeException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-kernel path ({@link KernelDevice}, {@link LiveEnclave} over it) against a fake ghostfs
 * directory: the ghostfs files work, every ioctl fails with ENOTTY. What can be checked here is
 * that failures are reported as the kernel gives them and that a live enclave that cannot start is
 * destroyed rather than left half set up.
 */
class LiveEnclaveGhostfsTest {
  private static final int ENOTTY = 25;

  @TempDir Path root;

  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  private KernelDevice device() throws Exception {
    FakeGhostfs.enclave(root, 1, 4);
    EnclaveHandle e = Ghostfs.open(root).createEnclave(1, "1-3");
    return new KernelDevice(e);
  }

  @Test
  void theDeviceReadsTheEnclaveAndReportsIoctlFailuresAsTheKernelWould() throws Exception {
    try (KernelDevice dev = device()) {
      assertEquals(4, dev.cpus(), "cpu_data has 4 pages");
      assertArrayEquals(new int[] {1, 2, 3}, dev.enclaveCpus());
      assertEquals(65_534, dev.statusWords().capacity());
      assertEquals(-ENOTTY, dev.run(Gtid.AGENT, 0, 1, 0), "RUN answers -errno");
      NativeException commit =
          assertThrows(
              NativeException.class, () -> dev.commitTxn(new byte[AbiConstants.CPU_SET_SIZE]));
      assertEquals(ENOTTY, commit.errno());
      assertTrue(commit.getMessage().contains("COMMIT_TXN"), commit.getMessage());
      NativeException queue = assertThrows(NativeException.class, () -> dev.createQueue(64));
      assertTrue(
          queue
              .getMessage()
              .startsWith("ioctl(" + root.resolve("enclave_1").resolve("ctl") + ", CREATE_QUEUE"),
          queue.getMessage());
      NativeException timer =
          assertThrows(NativeException.class, () -> dev.timerfdSettime(1, 1_000, 7));
      assertEquals(ENOTTY, timer.errno(), "a timerfd was made, the kernel refused to arm it");
      assertThrows(IllegalArgumentException.class, () -> dev.commitTxn(new byte[8]));
      dev.addTask(4242);
      assertEquals("4242", Files.readString(root.resolve("enclave_1").resolve("tasks")));
      assertTrue(!dev.agentOnline());
    }
    assertTrue(
        !Files.readString(root.resolve("enclave_1").resolve("ctl")).contains("destroy"),
        "closing the device alone never destroys");
  }

  // The agents cannot create their queues: start fails with the kernel's error, and closing the
  // live enclave destroys it (nothing is left half set up).
  @Test
  void aLiveEnclaveThatCannotStartIsDestroyed() throws Exception {
    KernelDevice dev = device();
    LiveEnclave live =
        new LiveEnclave(
            dev,
            Policies.create("fifo", Map.of(), 1),
            AgentTurns.free(dev),
            LiveEnclave.Options.live(),
            log);
    NativeException e = assertThrows(NativeException.class, live::start);
    assertEquals(ENOTTY, e.errno());
    live.close();
    live.close(); // idempotent
    assertTrue(live.destroyed());
    assertTrue(
        Files.readString(root.resolve("enclave_1").resolve("ctl")).endsWith("destroy"),
        Files.readString(root.resolve("enclave_1").resolve("ctl")));
    assertTrue(
        logBytes.toString(StandardCharsets.UTF_8).contains("destroying the enclave (shutdown)"));
    assertNull(live.failure(), "no agent thread ever ran");
  }

  // Handed over (upgrade hand-off), a closed live enclave is left alive for the next agent process.
  @Test
  void aHandedOverEnclaveIsNotDestroyed() throws Exception {
    KernelDevice dev = device();
    LiveEnclave live =
        new LiveEnclave(
            dev,
            Policies.create("fifo", Map.of(), 1),
            AgentTurns.free(dev),
            LiveEnclave.Options.live().withDestroyOnClose(false),
            log);
    assertThrows(NativeException.class, live::start);
    live.close();
    assertTrue(!live.destroyed());
    assertTrue(!Files.readString(root.resolve("enclave_1").resolve("ctl")).contains("destroy"));
  }

  @Test
  void cpuLists() {
    assertArrayEquals(new int[] {1, 2, 3, 5}, CpuList.parse("1-3,5"));
    assertArrayEquals(new int[] {0, 1}, CpuList.parse(" 1,0,1 "));
    assertEquals("1-3,5,7-8", CpuList.format(new int[] {1, 2, 3, 5, 7, 8}));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CpuList.parse("1-x"));
    assertEquals("CPU list '1-x': '1-x' is not a CPU (0..1023) or a range lo-hi", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CpuList.parse("3-1"));
    assertThrows(IllegalArgumentException.class, () -> CpuList.parse(""));
  }
}
