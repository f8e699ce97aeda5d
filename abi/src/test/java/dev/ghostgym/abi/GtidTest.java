package dev.ghostgym.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GtidTest {

  @Test
  void specialValues() {
    assertEquals(0L, Gtid.NULL);
    assertEquals(-1L, Gtid.AGENT);
    assertEquals(-2L, Gtid.IDLE);
    assertEquals("null", Gtid.toString(Gtid.NULL));
    assertEquals("agent", Gtid.toString(Gtid.AGENT));
    assertEquals("idle", Gtid.toString(Gtid.IDLE));
    assertEquals("-3", Gtid.toString(-3));
    assertEquals("4294967297", Gtid.toString(Gtid.of(1, 1)));
  }

  @ParameterizedTest
  @CsvSource({
    "1,          0,          1",
    "1,          1,          4294967297",
    "12345,      3,          12884914233",
    "2147483647, 0,          2147483647",
    "2147483647, 2147483647, 9223372034707292159",
  })
  void packsTidLowAndGenerationHigh(int tid, int generation, long gtid) {
    assertEquals(gtid, Gtid.of(tid, generation));
    assertTrue(gtid > 0);
    assertEquals(tid, Gtid.tid(gtid));
    assertEquals(generation, Gtid.generation(gtid));
  }

  @Test
  void rejectsNonPositiveTidAndNegativeGeneration() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gtid.of(0, 0));
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Gtid.of(-7, 0));
    assertTrue(e.getMessage().contains("got -7"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Gtid.of(5, -1));
    assertTrue(
        e.getMessage().contains("generation") && e.getMessage().contains("got -1"), e.getMessage());
  }
}
