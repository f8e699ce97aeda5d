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
import dev.ghostgym.ghostfs.kerneldouble.DoubleEnclave;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The per-CPU agents of a live enclave share no lock: while the agent of CPU 1 is stuck inside its
 * policy (in the middle of a pass), the agent of CPU 2 keeps running passes and scheduling its
 * task. With one monitor around every pass (as before), CPU 2's agent would wait for CPU 1's pass
 * to end and its task would never be put back on the CPU.
 */
class AgentsShareNoLockTest extends OverKernelDouble {
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
    LiveEnclave live = start(agents, "1-2");
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
}
