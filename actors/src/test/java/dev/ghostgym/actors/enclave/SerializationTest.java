package dev.ghostgym.actors.enclave;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.ghostgym.actors.agent.AgentEngine;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.DecisionRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every protocol record that may cross the network goes through Pekko serialization (jackson-cbor)
 * and comes back equal; the ones that carry live objects are marked local-only; and with {@code
 * serialize-messages = on} the actors work as usual.
 */
class SerializationTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "serialization",
          ConfigFactory.parseString("pekko.actor.serialize-messages = on")
              .withFallback(ConfigFactory.load("application-test")));

  @AfterAll
  static void tearDown() {
    testKit.shutdownTestKit();
  }

  private static final Class<?>[] PROTOCOLS = {
    CpuAgent.class, PolicyActor.class, EnclaveSupervisor.class, DecisionSnapshot.class
  };

  private static List<Object> samples() {
    ActorRef<Object> ref = testKit.createTestProbe().getRef();
    DecisionSnapshot.Task t = new DecisionSnapshot.Task(5, 1, -2, 100, 200, 3, true, 40, 50, 60);
    DecisionSnapshot snapshot =
        new DecisionSnapshot(
            11,
            DecisionRequest.Kind.INSERT,
            DecisionRequest.Trigger.TASK_WAKEUP,
            2,
            t,
            List.of(t, new DecisionSnapshot.Task(6, 0, 0, 1, 2, 0, false, -1, -1, Long.MAX_VALUE)),
            List.of(
                new DecisionSnapshot.Cpu(0, t, 7, 2, true),
                new DecisionSnapshot.Cpu(1, null, -1, 0, false)),
            999);
    return List.of(
        CpuAgent.Crash.INSTANCE,
        new CpuAgent.Activated(3),
        new PolicyActor.Swap("shinjuku", Map.of("slice", "30us"), ref.narrow()),
        new PolicyActor.Swapped("shinjuku"),
        new PolicyActor.SwapRejected("fastest", "policy: expected one of [fifo], got 'fastest'"),
        new PolicyActor.Decide(snapshot, ref.narrow()),
        new PolicyActor.Decided(11, new PolicyActor.Chosen(2)),
        new PolicyActor.Decided(12, new PolicyActor.Failed("policy x threw y")),
        new PolicyActor.Chosen(1),
        new PolicyActor.Failed("boom"),
        new PolicyActor.GetFallbacks(ref.narrow()),
        new PolicyActor.Fallbacks(Map.of("exception", 3L, "timeout", 1L)),
        new EnclaveSupervisor.Attached(Map.of(0, ref.narrow(), 1, ref.narrow()), ref.narrow()),
        new EnclaveSupervisor.AgentCrashed(1, ref.narrow()),
        new EnclaveSupervisor.AgentCrashed(2, null),
        EnclaveSupervisor.PolicyRestarted.INSTANCE,
        new EnclaveSupervisor.Destroy(ref.narrow()),
        new EnclaveSupervisor.Destroyed(4),
        new EnclaveSupervisor.GetRestarts(ref.narrow()),
        new EnclaveSupervisor.Restarts(2, 1, 0),
        EnclaveSupervisor.Stop.INSTANCE,
        snapshot,
        t,
        new DecisionSnapshot.Cpu(3, null, -1, 0, true));
  }

  @Test
  void everySerializableMessageRoundTripsEqual() {
    SerializationTestKit kit = new SerializationTestKit(testKit.system());
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    for (Object m : samples()) {
      assertTrue(
          serialization.findSerializerFor(m) instanceof JacksonCborSerializer,
          m.getClass() + " is bound to jackson-cbor");
      assertEquals(m, kit.verifySerialization(m, true), m.getClass().getName());
    }
  }

  @Test
  void samplesCoverEverySerializableTypeAndLocalOnlyOnesAreMarked() {
    Set<Class<?>> sampled = new HashSet<>();
    for (Object m : samples()) sampled.add(m.getClass());
    List<String> missing = new ArrayList<>();
    for (Class<?> protocol : PROTOCOLS) {
      for (Class<?> c : protocol.getDeclaredClasses()) {
        boolean message = c.isRecord() || c.isEnum();
        boolean cbor = CborSerializable.class.isAssignableFrom(c);
        boolean local = LocalOnly.class.isAssignableFrom(c);
        if (!message || (!cbor && !local)) continue;
        assertFalse(cbor && local, c.getName() + " is both serializable and local-only");
        if (cbor && !sampled.contains(c)) missing.add(c.getName());
      }
    }
    assertEquals(List.of(), missing, "serializable types without a round-trip sample");
    for (Class<?> command :
        List.of(
            CpuAgent.Command.class, PolicyActor.Command.class, EnclaveSupervisor.Command.class)) {
      for (Class<?> c : command.getPermittedSubclasses()) {
        assertTrue(
            CborSerializable.class.isAssignableFrom(c) != LocalOnly.class.isAssignableFrom(c),
            c.getName() + " must be exactly one of CborSerializable and LocalOnly");
      }
    }
    assertTrue(
        LocalOnly.class.isAssignableFrom(CpuAgent.Activate.class), "Activate carries a KernelPort");
    assertTrue(
        LocalOnly.class.isAssignableFrom(EnclaveSupervisor.Attach.class),
        "Attach carries a KernelPort");
  }

  @Test
  void polymorphicFieldsAreWrittenByNameNotByClass() {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    byte[] bytes =
        serialization.serialize(new PolicyActor.Decided(1, new PolicyActor.Chosen(2))).get();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("chosen"), "type name in the payload");
    assertFalse(text.contains("PolicyActor$Chosen"), "no class name in the payload");
  }

  @Test
  void actorsWorkWithSerializeMessagesOn() {
    AgentEngine engine = Policies.create("fifo");
    ActorRef<EnclaveSupervisor.Command> enclave =
        testKit.spawn(EnclaveSupervisor.create(engine, 1));
    TestProbe<EnclaveSupervisor.Attached> attached = testKit.createTestProbe();
    enclave.tell(
        new EnclaveSupervisor.Attach(
            new FakeKernel(2), null, attached.getRef())); // local-only: not serialized
    EnclaveSupervisor.Attached a = attached.receiveMessage(); // serialized on the way
    TestProbe<PolicyActor.Fallbacks> fallbacks = testKit.createTestProbe();
    a.policy().tell(new PolicyActor.GetFallbacks(fallbacks.getRef()));
    fallbacks.expectMessage(new PolicyActor.Fallbacks(Map.of()));
    TestProbe<EnclaveSupervisor.Restarts> restarts = testKit.createTestProbe();
    a.agents().get(1).tell(CpuAgent.Crash.INSTANCE); // AgentCrashed goes to the enclave serialized
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              enclave.tell(new EnclaveSupervisor.GetRestarts(restarts.getRef()));
              return restarts.receiveMessage().equals(new EnclaveSupervisor.Restarts(1, 0, 0));
            });
  }
}
