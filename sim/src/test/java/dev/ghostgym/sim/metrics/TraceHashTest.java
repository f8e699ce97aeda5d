package dev.ghostgym.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The trace hash: equal traces hash equal, and any changed field, order or split changes it. */
class TraceHashTest {
  private static String hash(long[]... records) {
    TraceHash h = new TraceHash();
    for (long[] r : records) h.record((int) r[0], r[1], r[2], r[3], r[4]);
    return h.hex();
  }

  @Test
  void equalTracesHashEqualAndEmptyIsSha256OfNothing() {
    long[] a = {1, 100, 2, 3, 4}, b = {3, 250, -1, 7, Long.MIN_VALUE};
    assertEquals(hash(a, b), hash(a, b));
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hash());
  }

  @Test
  void everyFieldOrderAndBoundaryMatters() {
    Set<String> seen = new HashSet<>();
    long[] base = {1, 100, 2, 3, 4};
    seen.add(hash(base));
    for (int f = 0; f < 5; f++) {
      long[] changed = base.clone();
      changed[f] += 1;
      assertEquals(true, seen.add(hash(changed)), "field " + f);
    }
    long[] other = {2, 100, 5, 6, 7};
    assertNotEquals(hash(base, other), hash(other, base), "order");
    // Varints are prefix-free: moving a value between fields must not collide.
    assertNotEquals(hash(new long[] {1, 0, 128, 1, 0}), hash(new long[] {1, 0, 0, 1, 128}));
  }

  @Test
  void largeTracesSpanManyBuffersDeterministically() {
    TraceHash h1 = new TraceHash(), h2 = new TraceHash();
    for (int i = 0; i < 100_000; i++) {
      h1.record(i % 9, i * 1000L, i, -i, (long) i * i);
      h2.record(i % 9, i * 1000L, i, -i, (long) i * i);
    }
    assertEquals(100_000, h1.records());
    assertEquals(h1.hex(), h2.hex());
  }
}
