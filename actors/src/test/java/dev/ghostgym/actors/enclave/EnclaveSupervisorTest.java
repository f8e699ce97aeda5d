package dev.ghostgym.actors.enclave;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.agent.AgentEngine;
import dev.ghostgym.actors.agent.PerCpuAgents;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.port.KernelFaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The enclave supervisor on a normal dispatcher: it starts an agent per CPU, restarts a crashed one
 * and re-attaches it in the kernel, counts restarts, and destroys the enclave on request.
 */
class EnclaveSupervisorTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void tearDown() {
    testKit.shutdownTestKit();
  }

  /** The kernel's side of faults, recorded. */
  static final class FaultLog implements KernelFaults {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void killAgent(int cpu) {
      events.add("kill " + cpu);
    }

    @Override
    public void destroyEnclave() {
      events.add("destroy");
    }
  }

  private FakeKernel kernel;
  private FaultLog faults;
  private ActorRef<EnclaveSupervisor.Command> enclave;
  private EnclaveSupervisor.Attached attached;

  @BeforeEach
  void attach() {
    kernel = new FakeKernel(2);
    faults = new FaultLog();
    AgentEngine engine = Policies.create("fifo");
    enclave = testKit.spawn(EnclaveSupervisor.create(engine, 1));
    TestProbe<EnclaveSupervisor.Attached> probe = testKit.createTestProbe();
    enclave.tell(new EnclaveSupervisor.Attach(kernel, faults, probe.getRef()));
    attached = probe.receiveMessage();
    assertEquals(
        List.of("becomeAgent 0 queue 0", "becomeAgent 1 queue 1", "discover"), kernel.takeCalls());
  }

  private EnclaveSupervisor.Restarts restarts() {
    TestProbe<EnclaveSupervisor.Restarts> probe = testKit.createTestProbe();
    enclave.tell(new EnclaveSupervisor.GetRestarts(probe.getRef()));
    return probe.receiveMessage();
  }

  @Test
  void startsOneAgentPerCpuThatRunsTheEngine() {
    assertEquals(List.of(0, 1), attached.agents().keySet().stream().sorted().toList());
    kernel.newTask(4);
    TestProbe<CpuAgent.Activated> probe = testKit.createTestProbe();
    attached.agents().get(0).tell(new CpuAgent.Activate(kernel, probe.getRef()));
    probe.expectMessage(new CpuAgent.Activated(0));
    List<String> calls = kernel.takeCalls();
    assertTrue(
        calls.contains("assoc task 4 queue 0") || calls.contains("assoc task 4 queue 1"),
        calls.toString());
  }

  @Test
  void aCrashedAgentIsRestartedAndReattachesOnItsQueue() {
    attached.agents().get(1).tell(CpuAgent.Crash.INSTANCE);
    await().atMost(Duration.ofSeconds(5)).until(() -> faults.events.contains("kill 1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> kernel.calls().contains("discover"));
    assertEquals(
        List.of("becomeAgent 1 queue 1", "discover"),
        kernel.takeCalls(),
        "same queue, tasks re-announced");
    assertEquals(new EnclaveSupervisor.Restarts(1, 0, 0), restarts());
    TestProbe<CpuAgent.Activated> probe = testKit.createTestProbe();
    attached.agents().get(1).tell(new CpuAgent.Activate(kernel, probe.getRef()));
    probe.expectMessage(new CpuAgent.Activated(1));
  }

  @Test
  void anAgentThatKeepsFailingEndsTheEnclaveAfterTheRestartBound() {
    // reference.conf: at most 10 restarts within 1 s of kernel time (the fake kernel's clock stands
    // still, so every crash falls in the window): the 11th failure destroys the enclave.
    for (int i = 0; i < 11; i++) attached.agents().get(0).tell(CpuAgent.Crash.INSTANCE);
    await().atMost(Duration.ofSeconds(5)).until(() -> faults.events.contains("destroy"));
    assertEquals(new EnclaveSupervisor.Restarts(10, 0, 1), restarts());
    assertEquals(11, faults.events.stream().filter("kill 0"::equals).count());
    assertEquals("destroy", faults.events.get(faults.events.size() - 1));
  }

  @Test
  void anAgentThatFailsDuringAnActivationStillAnswersIt() {
    kernel.failNextPoll();
    TestProbe<CpuAgent.Activated> probe = testKit.createTestProbe();
    attached.agents().get(0).tell(new CpuAgent.Activate(kernel, probe.getRef()));
    probe.expectMessage(new CpuAgent.Activated(0));
    assertEquals(List.of("kill 0"), faults.events);
    assertEquals(List.of("becomeAgent 0 queue 0", "discover"), kernel.takeCalls());
    assertEquals(new EnclaveSupervisor.Restarts(1, 0, 0), restarts());
  }

  /** A per-CPU policy that fails every question. */
  record Broken() implements Policy {
    @Override
    public String name() {
      return "broken";
    }

    @Override
    public Model model() {
      return Model.PER_CPU;
    }

    @Override
    public int decide(DecisionRequest r) {
      throw new IllegalStateException("broken policy");
    }
  }

  @Test
  void aPolicyActorFailureIsCountedAsARestart() {
    AgentEngine engine = new PerCpuAgents(new PolicyGuard(new Broken(), 1_000_000));
    ActorRef<EnclaveSupervisor.Command> other = testKit.spawn(EnclaveSupervisor.create(engine, 1));
    TestProbe<EnclaveSupervisor.Attached> attachedProbe = testKit.createTestProbe();
    other.tell(new EnclaveSupervisor.Attach(new FakeKernel(1), null, attachedProbe.getRef()));
    ActorRef<PolicyActor.Command> policy = attachedProbe.receiveMessage().policy();
    TestProbe<PolicyActor.Decided> probe = testKit.createTestProbe();
    policy.tell(
        new PolicyActor.Decide(
            new DecisionSnapshot(
                1,
                DecisionRequest.Kind.PICK,
                DecisionRequest.Trigger.CPU_IDLE,
                0,
                null,
                List.of(),
                List.of(),
                0),
            probe.getRef()));
    assertInstanceOf(PolicyActor.Failed.class, probe.receiveMessage().answer());
    TestProbe<EnclaveSupervisor.Restarts> restartsProbe = testKit.createTestProbe();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              other.tell(new EnclaveSupervisor.GetRestarts(restartsProbe.getRef()));
              return restartsProbe.receiveMessage().policy() == 1;
            });
    policy.tell(
        new PolicyActor.Swap(
            "fifo", Map.of(), testKit.createTestProbe(PolicyActor.SwapResult.class).getRef()));
    policy.tell(
        new PolicyActor.Decide(
            new DecisionSnapshot(
                2,
                DecisionRequest.Kind.PICK,
                DecisionRequest.Trigger.CPU_IDLE,
                0,
                null,
                List.of(),
                List.of(),
                0),
            probe.getRef()));
    probe.expectMessage(new PolicyActor.Decided(2, new PolicyActor.Chosen(-1)));
  }

  @Test
  void destroyHandsTheTasksToCfsAndStopsTheAgents() {
    TestProbe<EnclaveSupervisor.Destroyed> probe = testKit.createTestProbe();
    enclave.tell(new EnclaveSupervisor.Destroy(probe.getRef()));
    probe.expectMessage(new EnclaveSupervisor.Destroyed(2));
    assertEquals(List.of("destroy"), faults.events);
    TestProbe<CpuAgent.Command> watcher = testKit.createTestProbe();
    watcher.expectTerminated(attached.agents().get(0));
    watcher.expectTerminated(attached.agents().get(1));
  }
}
