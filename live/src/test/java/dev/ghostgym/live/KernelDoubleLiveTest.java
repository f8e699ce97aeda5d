package dev.ghostgym.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.Gtid;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.nativ.Enclave;
import dev.ghostgym.nativ.Ghostfs;
import dev.ghostgym.nativ.Sys;
import dev.ghostgym.nativ.SysCalls;
import dev.ghostgym.nativ.kerneldouble.DoubleEnclave;
import dev.ghostgym.nativ.kerneldouble.KernelDouble;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live agents ({@link LiveEnclave} over {@link KernelDevice}) against the kernel double at the
 * system-call boundary: every ghostfs string and ioctl argument the binding produces reaches the
 * double, which refuses what the kernel refuses. If {@code become agent}, {@code discover tasks},
 * the COMMIT_TXN mask or RUN's {@code run_cpu} were wrong, the agents would not start or would
 * fail and the tasks below would never run.
 */
class KernelDoubleLiveTest {
  private static final long WAIT_MS = 10_000;

  @TempDir Path tmp;

  private KernelDouble kernel;
  private SysCalls previous;
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  @BeforeEach
  void install() {
    kernel = new KernelDouble(tmp.resolve("ghost"), 4);
    previous = Sys.install(kernel);
  }

  @AfterEach
  void restore() {
    kernel.shutDown();
    Sys.install(previous);
  }

  private static LiveEnclave.Options options() {
    return new LiveEnclave.Options(false, false, true, 0, false, 1_000, 1_000, false);
  }

  private LiveEnclave start(String policy) {
    Enclave e = Ghostfs.open(kernel.root()).createEnclave(1, "1-2");
    KernelDevice dev = new KernelDevice(e);
    LiveEnclave live = new LiveEnclave(dev, Policies.create(policy, Map.of(), 1), AgentTurns.free(dev), options(), log);
    live.start();
    return live;
  }

  // Fails at once when an agent failed (the kernel refused an argument), else at the deadline.
  private static void await(LiveEnclave live, String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
    while (!done.getAsBoolean()) {
      if (live.failure() != null) throw new AssertionError("an agent failed while waiting until " + what, live.failure());
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
      Thread.sleep(1);
    }
  }

  @Test
  void perCpuAgentsStartScheduleTasksAndShutDownOverTheKernelDouble() throws Exception {
    LiveEnclave live = start("fifo");
    DoubleEnclave enclave = kernel.enclave(1);
    assertTrue(enclave.hasAgent(1) && enclave.hasAgent(2), "both CPUs have an agent");
    assertTrue(enclave.online(), "agent_online is held");
    List<String> journal = kernel.journal();
    assertTrue(journal.contains("write ctl: create 1 91"), journal.toString());
    assertTrue(journal.contains("write enclave_1/cpulist: 1-2"), journal.toString());
    assertTrue(journal.contains("write enclave_1/ctl: discover tasks"), journal.toString());
    assertTrue(journal.stream().filter(l -> l.matches("write enclave_1/ctl: become agent [12] \\d+")).count() == 2,
        journal.toString());

    long a = Gtid.of(101, 1);
    long b = Gtid.of(102, 1);
    enclave.spawn(a, true);
    enclave.spawn(b, true);
    await(live, "both tasks run", () -> onSomeCpu(enclave, a) && onSomeCpu(enclave, b));
    assertNull(live.failure(), () -> "agent failure: " + live.failure() + "\n" + logBytes);

    enclave.block(a);
    assertFalse(onSomeCpu(enclave, a));
    enclave.wake(a);
    await(live, "the woken task runs again", () -> onSomeCpu(enclave, a));
    enclave.exit(b);
    await(live, "the dead task's word is freed", () -> enclave.dropped() == 0 && live.metrics() != null
        && kernel.journal().contains("ioctl SW_FREE"));
    assertNull(live.failure(), () -> "agent failure: " + live.failure() + "\n" + logBytes);
    assertTrue(kernel.journal().contains("ioctl COMMIT_TXN"));

    live.close();
    assertTrue(live.destroyed());
    assertTrue(kernel.journal().contains("write enclave_1/ctl: destroy"));
    assertFalse(Files.exists(kernel.root().resolve("enclave_1")), "the enclave directory is gone");
  }

  private static boolean onSomeCpu(DoubleEnclave e, long gtid) {
    return e.runningOn(1) == gtid || e.runningOn(2) == gtid;
  }
}
