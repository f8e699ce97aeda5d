package dev.ghostgym.app.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.enclave.CborSerializable;
import dev.ghostgym.actors.enclave.LocalOnly;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every message of {@code eval --cluster} that crosses nodes round-trips through Jackson CBOR with
 * the same numbers: a run's metrics (NaN included) and its response sample, a cell with the
 * workload's default load (NaN); the coordinator's own messages are local-only.
 */
class ClusterMatrixSerializationTest {
  private static final ActorTestKit testKit = ActorTestKit.create("eval-serialization");

  @AfterAll
  static void tearDown() {
    testKit.shutdownTestKit();
  }

  private static RunOutcome outcome() {
    EnumMap<Metric, Double> m = new EnumMap<>(Metric.class);
    double v = 0.1;
    for (Metric x : Metric.values()) m.put(x, v *= 3.7);
    m.put(Metric.JAIN, Double.NaN);
    return new RunOutcome(
        new Cell("rocksdb-shinjuku", 4, "model:/runs/ppo", Double.NaN, 7),
        true,
        m,
        new double[] {1.25, 3.5, 1e9, 7.000000000000001});
  }

  private static List<Object> samples() {
    ActorRef<Object> ref = testKit.createTestProbe().getRef();
    return List.of(
        new CellWorker.Offer(ref.narrow()),
        new CellWorker.RunCell(5, new Cell("mmc", 2, "srpt", 0.7, 3), 5000, ref.narrow()),
        new ClusterMatrix.Ready(ref.narrow(), 16, "pekko://ghost-gym@10.0.0.2:2552"),
        new ClusterMatrix.CellDone(5, outcome(), ref.narrow(), "pekko://ghost-gym@10.0.0.2:2552"),
        new ClusterMatrix.CellFailed(
            5, "java.lang.IllegalStateException: boom", ref.narrow(), "pekko://ghost-gym@h:1"));
  }

  @Test
  void everyCrossNodeMessageRoundTripsThroughJacksonCbor() {
    SerializationTestKit kit = new SerializationTestKit(testKit.system());
    var serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    for (Object m : samples()) {
      assertTrue(
          serialization.findSerializerFor(m) instanceof JacksonCborSerializer,
          m.getClass() + " uses jackson-cbor");
      Object back = kit.verifySerialization(m, false);
      if (m instanceof ClusterMatrix.CellDone d) {
        ClusterMatrix.CellDone b = (ClusterMatrix.CellDone) back;
        assertEquals(d.index(), b.index());
        assertEquals(d.worker(), b.worker());
        assertEquals(d.node(), b.node());
        assertEquals(d.outcome().cell(), b.outcome().cell());
        assertEquals(d.outcome().oracle(), b.outcome().oracle());
        assertEquals(d.outcome().metrics(), b.outcome().metrics(), "every metric, NaN kept");
        assertEquals(EnumMap.class, b.outcome().metrics().getClass());
        assertArrayEquals(d.outcome().responseSampleUs(), b.outcome().responseSampleUs());
      } else {
        assertEquals(m, back, m.getClass().getName());
      }
    }
  }

  @Test
  void samplesCoverEveryCrossNodeTypeAndTheRestIsLocalOnly() {
    Set<Class<?>> sampled = new HashSet<>();
    for (Object m : samples()) sampled.add(m.getClass());
    List<String> missing = new ArrayList<>();
    for (Class<?> protocol : new Class<?>[] {CellWorker.class, ClusterMatrix.class}) {
      for (Class<?> c : protocol.getDeclaredClasses()) {
        boolean message =
            CellWorker.Command.class.isAssignableFrom(c)
                || ClusterMatrix.Msg.class.isAssignableFrom(c);
        if (!message || c.isInterface()) continue;
        boolean cbor = CborSerializable.class.isAssignableFrom(c);
        assertTrue(
            cbor != LocalOnly.class.isAssignableFrom(c),
            c.getName() + " is exactly one of cbor and local-only");
        if (cbor && !sampled.contains(c)) missing.add(c.getName());
      }
    }
    assertEquals(List.of(), missing, "cross-node types without a round-trip sample");
  }
}
