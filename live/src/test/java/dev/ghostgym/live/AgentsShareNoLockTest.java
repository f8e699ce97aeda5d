package dev.ghostgym.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.Gtid;
import dev.ghostgym.actors.agent.PerCpuAgents;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Fifo;
import dev.ghostgym.actors.policy.ForwardingPolicy;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.ghostfs.EnclaveHandle;
import dev.ghostgym.ghostfs.Ghostfs;
import dev.ghostgym.ghostfs.Sys;
import dev.ghostgym.ghostfs.SysCalls;
import dev.ghostgym.ghostfs.kerneldouble.DoubleEnclave;
import dev.ghostgym.ghostfs.kerneldouble.KernelDouble;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-CPU agents of a live enclave share no lock: while the agent of CPU 1 is stuck inside its
 * policy (in the middle of a pass), the agent of CPU 2 keeps running passes and scheduling its
 * task. With one monitor around every pass (as before), CPU 2's agent would wait for CPU 1's pass
 * to end and its task would never be put back on the CPU.
 */
class AgentsShareNoLockTest {
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

  /**
   * FIFO, except that every task goes to CPU 2, and placing {@code stuck} blocks until released.
   */
  private static final class StuckPlacement extends ForwardingPolicy {
    final long stuck;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    StuckPlacement(long stuck) {
      super(new Fifo(Policy.Model.PER_CPU));
      this.stuck = stuck;
    }

    @Override
    public int decide(DecisionRequest r) {
      if (r.kind() != DecisionRequest.Kind.PLACE) return inner.decide(r);
      if (r.task().gtid() != stuck) return 2;
      entered.countDown();
      try {
        if (!release.await(WAIT_MS, TimeUnit.MILLISECONDS))
          throw new IllegalStateException("never released");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 1;
    }
  }

  @Test
  void anAgentStuckInItsPolicyHoldsNoOtherAgentBack() throws Exception {
    long a = Gtid.of(301, 1);
    long b = Gtid.of(302, 1);
    StuckPlacement policy = new StuckPlacement(b);
    PerCpuAgents agents = new PerCpuAgents(new PolicyGuard(policy, 1_000_000_000L));
    EnclaveHandle e = Ghostfs.open(kernel.root()).createEnclave(1, "1-2");
    KernelDevice dev = new KernelDevice(e);
    LiveEnclave live =
        new LiveEnclave(
            dev,
            agents,
            AgentTurns.free(dev),
            new LiveEnclave.Options(false, false, true, 0, false, 1_000, 1_000, false),
            log);
    live.start();
    try {
      DoubleEnclave enclave = kernel.enclave(1);
      enclave.spawn(a, true);
      await(live, "task a runs on CPU 2", () -> enclave.runningOn(2) == a);

      // CPU 1's agent (it reads the default queue) gets TASK_NEW of b and sticks in PLACE.
      enclave.spawn(b, true);
      assertTrue(policy.entered.await(WAIT_MS, TimeUnit.MILLISECONDS), "CPU 1 is in its policy");
      long cpu1Passes = live.passTimes().passes(1);
      long cpu2Passes = live.passTimes().passes(2);

      // Meanwhile task a blocks and wakes three times: CPU 2's agent must run it again each time.
      for (int i = 0; i < 3; i++) {
        enclave.block(a);
        enclave.wake(a);
        await(
            live, "task a runs again on CPU 2 (round " + i + ")", () -> enclave.runningOn(2) == a);
      }
      assertEquals(cpu1Passes, live.passTimes().passes(1), "CPU 1's pass has not ended");
      assertTrue(
          live.passTimes().passes(2) >= cpu2Passes + 3,
          "CPU 2's agent ran a pass per wakeup while CPU 1's was stuck: "
              + cpu2Passes
              + " -> "
              + live.passTimes().passes(2));
      assertEquals(0, enclave.runningOn(1), "b is not placed yet");

      policy.release.countDown();
      await(
          live,
          "task b runs on CPU 1 once its placement is answered",
          () -> enclave.runningOn(1) == b);
      assertNull(live.failure(), () -> "agent failure: " + live.failure() + "\n" + logBytes);
    } finally {
      policy.release.countDown();
      live.close();
    }
  }

  private static void await(LiveEnclave live, String what, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
    while (!done.getAsBoolean()) {
      if (live.failure() != null)
        throw new AssertionError("an agent failed while waiting until " + what, live.failure());
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
      Thread.sleep(1);
    }
  }
}
