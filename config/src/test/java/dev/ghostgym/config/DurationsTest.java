package dev.ghostgym.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesEachUnit() {
    assertEquals(400, Durations.parseNanos("400ns", "x"));
    assertEquals(10_000, Durations.parseNanos("10us", "x"));
    assertEquals(1_500_000, Durations.parseNanos("1.5ms", "x"));
    assertEquals(250_000_000, Durations.parseNanos("0.25s", "x"));
    assertEquals(2_000, Durations.parseNanos(" 2 us ", "x"));
    assertEquals(0, Durations.parseNanos("0ns", "x"));
  }

  @Test
  void roundsToTheNearestNanosecond() {
    assertEquals(2, Durations.parseNanos("1.5ns", "x"));
    assertEquals(1, Durations.parseNanos("0.0011us", "x"));
  }

  @Test
  void bareNumberIsAnErrorNamingThePath() {
    ConfigError e =
        assertThrows(ConfigError.class, () -> Durations.parseNanos("10", "sources.a.sleep"));
    assertEquals("sources.a.sleep", e.path());
    assertTrue(
        e.getMessage().startsWith("sources.a.sleep: expected a duration with a unit ns/us/ms/s"),
        e.getMessage());
  }

  @Test
  void negativeAndUnknownUnitsAreRejected() {
    ConfigError neg = assertThrows(ConfigError.class, () -> Durations.parseNanos("-5us", "nap"));
    assertTrue(
        neg.getMessage().contains("nap: expected a non-negative duration; got '-5us'"),
        neg.getMessage());
    ConfigError unit = assertThrows(ConfigError.class, () -> Durations.parseNanos("5 min", "nap"));
    assertTrue(unit.getMessage().contains("unit ns/us/ms/s"), unit.getMessage());
  }

  @Test
  void formatIsCompactAndParsesBack() {
    assertEquals("10us", Durations.format(10_000));
    assertEquals("5ms", Durations.format(5_000_000));
    assertEquals("1.5ms", Durations.format(1_500_000));
    assertEquals("400ns", Durations.format(400));
    assertEquals("0ns", Durations.format(0));
    assertEquals("2s", Durations.format(2_000_000_000L));
    for (long ns : new long[] {0, 1, 999, 1_001, 34_950, 1_000_000_001L, Long.MAX_VALUE}) {
      assertEquals(ns, Durations.parseNanos(Durations.format(ns), "x"));
    }
  }

  // An exponent beyond BigDecimal's (found by ReaderPropertiesTest) is a clean error, not a crash.
  @Test
  void anExponentBeyondWhatANumberHoldsIsAConfigError() {
    ConfigError e =
        assertThrows(
            ConfigError.class, () -> Durations.parseNanos("92e33720368542775807ns", "nap"));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("too large"), e.getMessage());
  }
}
