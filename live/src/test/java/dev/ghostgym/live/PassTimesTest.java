package dev.ghostgym.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.port.Percentiles;
import org.junit.jupiter.api.Test;

class PassTimesTest {
  @Test
  void countsAndFoldsThePassesOfEveryCpuAcrossReads() {
    PassTimes t = new PassTimes(3);
    for (int i = 1; i <= 1_000; i++) t.record(1, 1_000); // 1 us
    t.record(2, 5_000_000); // one 5 ms pass
    Percentiles first = t.percentiles();
    assertEquals(1_001, first.count());
    assertEquals(5_000, first.max(), 5, "the worst pass, in us");
    assertEquals(1.0, first.p50(), 0.01);
    t.record(1, 2_000);
    Percentiles second = t.percentiles(); // folds only what came since, into the same total
    assertEquals(1_002, second.count());
    assertEquals(1_001, t.passes(1));
    assertEquals(1, t.passes(2));
    assertEquals(0, t.passes(0));
    assertEquals(1_002, t.passes());
    assertEquals(1_002, t.percentiles().count(), "reading again changes nothing");
  }
}
