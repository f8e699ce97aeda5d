package dev.ghostgym.live;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The JVM's stops while agents run, from the flight recorder. */
class JvmPausesTest {
  @Test
  void reportsTheGcPausesAndSafepointsOfTheRun() {
    JvmPauses p = JvmPauses.start();
    long sink = 0;
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 20_000; i++) sink += new byte[256].length;
      System.gc(); // a full collection: a GC pause, at a safepoint
    }
    JvmPauses.Report r = p.report();
    assertTrue(sink > 0);
    assertNull(r.error(), r.error());
    assertFalse(r.collectors().isEmpty(), "the collectors' names");
    assertTrue(r.gcPauses().count() >= 2, "one pause per System.gc() at least: " + r);
    assertTrue(r.gcPauses().maxMs() > 0 && r.gcPauses().totalMs() >= r.gcPauses().maxMs(), "" + r);
    assertTrue(r.safepoints().count() >= 2, "every GC pause is at a safepoint: " + r);
    assertTrue(r.safepoints().maxMs() >= r.timeToSafepoint().maxMs(), "" + r);
    assertTrue(r.timeToSafepoint().count() >= r.safepoints().count(), "" + r);
    assertSame(r, p.report(), "stopped once; the same report after");
  }
}
