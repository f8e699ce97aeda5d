package dev.ghostgym.app.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void meanAndStudentTIntervalOfFiveSeeds() {
    Stats s = Stats.of(new double[] {10, 12, 9, 11, 13});
    assertEquals(5, s.n());
    assertEquals(11.0, s.mean(), 1e-12);
    // sd = sqrt(10/4) = 1.5811; t(0.975, 4) = 2.776; half width = 2.776 * 1.5811 / sqrt(5)
    assertEquals(2.776 * Math.sqrt(2.5) / Math.sqrt(5), s.halfWidth(), 1e-9);
  }

  @Test
  void oneSeedHasNoIntervalAndNaNsAreLeftOut() {
    assertEquals(0.0, Stats.of(new double[] {7}).halfWidth());
    Stats s = Stats.of(new double[] {Double.NaN, 4, 6});
    assertEquals(2, s.n());
    assertEquals(5.0, s.mean(), 1e-12);
    assertEquals(0, Stats.of(new double[] {Double.NaN}).n());
  }

  @Test
  void manySeedsUseTheNormalQuantile() {
    assertEquals(1.96, Stats.t975(200));
    assertEquals(2.042, Stats.t975(30));
  }

  @Test
  void quantileSampleKeepsTheExtremesAndOrder() {
    long[] ns = new long[10_000];
    for (int i = 0; i < ns.length; i++) ns[i] = (ns.length - i) * 1000L;
    double[] q = Runs.quantiles(ns);
    assertEquals(Runs.SAMPLE, q.length);
    assertEquals(1.0, q[0]);
    assertEquals(10_000.0, q[q.length - 1]);
    for (int i = 1; i < q.length; i++) assertEquals(true, q[i] >= q[i - 1]);
  }
}
