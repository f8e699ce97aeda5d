package dev.ghostgym.actors.enclave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Fifo;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The policy actor's protocol: hot swap, questions from outside, fallback counts, restart on
 * failure.
 */
class PolicyActorTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void tearDown() {
    testKit.shutdownTestKit();
  }

  /** Answers INSERT with the back of the queue, and throws on PICK. */
  record BackOfQueue() implements Policy {
    @Override
    public String name() {
      return "back";
    }

    @Override
    public Model model() {
      return Model.CENTRALIZED;
    }

    @Override
    public int decide(DecisionRequest r) {
      if (r.kind() == DecisionRequest.Kind.PICK) throw new IllegalStateException("no idea");
      return r.runQueue().size();
    }
  }

  private static DecisionSnapshot.Task task(long gtid) {
    return new DecisionSnapshot.Task(gtid, 0, 0, 10, 0, 0, false, -1, -1, Long.MAX_VALUE);
  }

  private static DecisionSnapshot request(long id, DecisionRequest.Kind kind) {
    return new DecisionSnapshot(
        id,
        kind,
        DecisionRequest.Trigger.TASK_NEW,
        1,
        kind == DecisionRequest.Kind.PICK ? null : task(9),
        List.of(task(1), task(2), task(3)),
        List.of(new DecisionSnapshot.Cpu(1, task(4), 5, 0, true)),
        100);
  }

  private final TestProbe<EnclaveSupervisor.PolicyRestarted> restarts = testKit.createTestProbe();

  private ActorRef<PolicyActor.Command> spawn(PolicyGuard guard) {
    return testKit.spawn(
        Behaviors.supervise(PolicyActor.create(guard, 1, restarts.getRef()))
            .onFailure(SupervisorStrategy.restart()));
  }

  @Test
  void swapReplacesThePolicyOrSaysWhyNot() {
    PolicyGuard guard = new PolicyGuard(new Fifo(Policy.Model.CENTRALIZED), 1_000_000);
    ActorRef<PolicyActor.Command> policy = spawn(guard);
    TestProbe<PolicyActor.SwapResult> probe = testKit.createTestProbe();
    policy.tell(new PolicyActor.Swap("shinjuku", Map.of("slice", "50us"), probe.getRef()));
    probe.expectMessage(new PolicyActor.Swapped("shinjuku"));
    assertEquals(50_000, guard.policy().sliceNs());
    policy.tell(new PolicyActor.Swap("fifo", Map.of(), probe.getRef()));
    PolicyActor.SwapRejected model = probe.expectMessageClass(PolicyActor.SwapRejected.class);
    assertTrue(model.error().contains("PER_CPU"), model.error());
    policy.tell(new PolicyActor.Swap("rr", Map.of("quantum", "1ms"), probe.getRef()));
    PolicyActor.SwapRejected param = probe.expectMessageClass(PolicyActor.SwapRejected.class);
    assertTrue(param.error().contains("policy.quantum"), param.error());
    assertEquals("shinjuku", guard.policy().name(), "a refused swap keeps the policy");
  }

  @Test
  void decideAsksTheHostedPolicy() {
    ActorRef<PolicyActor.Command> policy = spawn(new PolicyGuard(new BackOfQueue(), 1_000_000));
    TestProbe<PolicyActor.Decided> probe = testKit.createTestProbe();
    policy.tell(new PolicyActor.Decide(request(7, DecisionRequest.Kind.INSERT), probe.getRef()));
    probe.expectMessage(new PolicyActor.Decided(7, new PolicyActor.Chosen(3)));
  }

  @Test
  void aPolicyThatThrowsFailsTheActorWhichIsRestarted() {
    ActorRef<PolicyActor.Command> policy = spawn(new PolicyGuard(new BackOfQueue(), 1_000_000));
    TestProbe<PolicyActor.Decided> probe = testKit.createTestProbe();
    policy.tell(new PolicyActor.Decide(request(8, DecisionRequest.Kind.PICK), probe.getRef()));
    PolicyActor.Decided failed = probe.receiveMessage();
    assertEquals(8, failed.requestId());
    PolicyActor.Failed why = assertInstanceOf(PolicyActor.Failed.class, failed.answer());
    assertTrue(why.error().contains("no idea"), why.error());
    restarts.expectMessage(EnclaveSupervisor.PolicyRestarted.INSTANCE);
    policy.tell(new PolicyActor.Decide(request(9, DecisionRequest.Kind.INSERT), probe.getRef()));
    probe.expectMessage(new PolicyActor.Decided(9, new PolicyActor.Chosen(3)));
  }

  @Test
  void fallbacksAreReadFromTheGuard() {
    PolicyGuard guard = new PolicyGuard(new BackOfQueue(), 1_000_000);
    guard.decide(request(1, DecisionRequest.Kind.PICK).toRequest()); // throws: FIFO answers
    guard.decide(request(2, DecisionRequest.Kind.PICK).toRequest());
    ActorRef<PolicyActor.Command> policy = spawn(guard);
    TestProbe<PolicyActor.Fallbacks> probe = testKit.createTestProbe();
    policy.tell(new PolicyActor.GetFallbacks(probe.getRef()));
    PolicyActor.Fallbacks f = probe.receiveMessage();
    assertEquals(Map.of("exception", 2L), f.byReason());
    assertEquals(2, f.total());
  }
}
