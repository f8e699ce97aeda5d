package dev.ghostgym.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.ghostgym.actors.enclave.CborSerializable;
import dev.ghostgym.actors.enclave.LocalOnly;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every message that crosses nodes round-trips through Jackson CBOR equal, with observations and
 * masks as primitive arrays and option values keeping their types; the local-only ones are marked.
 */
class ClusterSerializationTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "cluster-serialization",
          ConfigFactory.parseString("pekko.actor.serialize-messages = on")
              .withFallback(ConfigFactory.load()));

  @AfterAll
  static void tearDown() {
    testKit.shutdownTestKit();
  }

  private static final Class<?>[] PROTOCOLS = {EnvEntity.class, EnvGateway.class};

  private static EnvResult result() {
    return new EnvResult(
        3,
        true,
        new float[] {1.5f, -2f, 0f},
        0.25,
        false,
        true,
        new boolean[] {true, false},
        Map.of("t", 4.0),
        Map.of("phase", "odd"));
  }

  private static List<Object> samples() {
    ActorRef<Object> ref = testKit.createTestProbe().getRef();
    return List.of(
        result(),
        EnvResult.missing(9),
        new EnvEntity.Reset(
            3,
            "ghost/SeedCompat-v0",
            Map.of(
                "workload",
                "rocksdb-shinjuku",
                "cpus",
                4,
                "tasks",
                20_000,
                "slice",
                0.5,
                "fast",
                true),
            42L,
            Map.of(),
            ref.narrow()),
        new EnvEntity.Reset(4, "test/Walk-v0", Map.of(), null, Map.of("k", "v"), ref.narrow()),
        new EnvEntity.ResetDone(result(), ref.narrow(), "pekko://ghost-gym@127.0.0.1:2552"),
        new EnvGateway.StepBatch(new int[] {0, 3, 6}, new int[] {2, 0, 1}, ref.narrow()),
        new EnvGateway.BatchDone(StepResults.of(batch())));
  }

  /** A batch with every kind of answer: stepped, missing, failed (no observation), text only. */
  private static List<EnvResult> batch() {
    return List.of(
        result(),
        EnvResult.missing(6),
        new EnvResult(
            7,
            true,
            new float[] {Float.NaN, Float.MIN_VALUE, -0f},
            -1e300,
            true,
            false,
            new boolean[] {false, false},
            Map.of("t", 2.0, "now_ns", 1.2345678901234e12),
            Map.of()),
        new EnvResult(
            8, true, null, 0, false, true, null, Map.of(), Map.of("truncated_reason", "boom")));
  }

  @Test
  void stepResultsGiveBackExactlyTheResultsTheyWereMadeFrom() {
    assertEquals(batch(), StepResults.of(batch()).results());
    SerializationTestKit kit = new SerializationTestKit(testKit.system());
    StepResults back = kit.verifySerialization(StepResults.of(batch()), true);
    assertEquals(batch(), back.results());
    assertEquals(List.of(), StepResults.of(List.of()).results());
    List<EnvResult> mixed =
        List.of(
            result(),
            new EnvResult(1, true, new float[] {1f}, 0, false, false, null, Map.of(), Map.of()));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> StepResults.of(mixed));
    assertEquals("a step batch's envs must share one observation length: 3 and 1", e.getMessage());
  }

  @Test
  void everyCrossNodeMessageRoundTripsEqualThroughJacksonCbor() {
    SerializationTestKit kit = new SerializationTestKit(testKit.system());
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    for (Object m : samples()) {
      assertTrue(
          serialization.findSerializerFor(m) instanceof JacksonCborSerializer,
          m.getClass() + " uses jackson-cbor");
      assertEquals(m, kit.verifySerialization(m, true), m.getClass().getName());
    }
  }

  @Test
  void optionValuesKeepTheirTypes() {
    SerializationTestKit kit = new SerializationTestKit(testKit.system());
    EnvEntity.Reset r = (EnvEntity.Reset) samples().get(2);
    EnvEntity.Reset back = kit.verifySerialization(r, true);
    assertEquals(Integer.class, back.makeOptions().get("cpus").getClass());
    assertEquals(Double.class, back.makeOptions().get("slice").getClass());
    assertEquals(Boolean.class, back.makeOptions().get("fast").getClass());
    assertEquals(42L, back.seed());
  }

  @Test
  void samplesCoverEveryCrossNodeTypeAndTheRestIsLocalOnly() {
    Set<Class<?>> sampled = new HashSet<>();
    for (Object m : samples()) {
      sampled.add(m.getClass());
    }
    List<String> missing = new ArrayList<>();
    for (Class<?> protocol : PROTOCOLS) {
      for (Class<?> c : protocol.getDeclaredClasses()) {
        if (!c.isRecord()) {
          continue;
        }
        boolean cbor = CborSerializable.class.isAssignableFrom(c);
        assertTrue(
            cbor != LocalOnly.class.isAssignableFrom(c),
            c.getName() + " is exactly one of cbor and local-only");
        if (cbor && !sampled.contains(c)) {
          missing.add(c.getName());
        }
      }
    }
    assertTrue(sampled.contains(EnvResult.class));
    assertTrue(
        samples().stream()
            .anyMatch(m -> m instanceof EnvGateway.BatchDone b && b.results().size() == 4),
        "StepResults travels inside BatchDone, sampled with every kind of answer");
    assertEquals(List.of(), missing, "cross-node types without a round-trip sample");
    assertTrue(
        LocalOnly.class.isAssignableFrom(EnvEntity.LocalStep.class),
        "a step inside a node is not serialized");
  }
}
