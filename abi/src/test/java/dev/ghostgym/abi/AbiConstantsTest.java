package dev.ghostgym.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AbiConstantsTest {

  @Test
  void constants() {
    assertEquals(18, AbiConstants.SCHED_GHOST);
    assertEquals(0x40000000, AbiConstants.SCHED_RESET_ON_FORK);
    assertEquals(0x40000012, AbiConstants.SCHED_GHOST | AbiConstants.SCHED_RESET_ON_FORK);
    assertEquals(0, AbiConstants.GHOST_QUEUE_VERSION);
    assertEquals(0, AbiConstants.GHOST_SW_REGION_VERSION);
    assertEquals(0, AbiConstants.GHOST_TXN_VERSION);
    assertEquals(65536, AbiConstants.GHOST_MAX_QUEUE_ELEMS);
    assertEquals(2, AbiConstants.GHOST_MAX_WINFO);
    assertEquals(0, AbiConstants.GHOST_AGENT);
    assertEquals(1, AbiConstants.GHOST_TASK);
    assertEquals(1, AbiConstants.TIMERFD_GHOST_ENABLED);
    assertEquals(65536, AbiConstants.GHOST_BASE_GET_GTID);
    assertEquals(0, AbiConstants.GHOST_GTID_LOOKUP);
    assertEquals(4096, AbiConstants.PAGE_SIZE);
    assertEquals(2097152, AbiConstants.SW_REGION_SIZE);
    assertEquals(65534, AbiConstants.SW_REGION_WORDS);
    assertEquals(32, AbiConstants.STATUS_WORD_SIZE);
    assertEquals(4096, AbiConstants.CPU_DATA_STRIDE);
    assertEquals(76, AbiConstants.RING_MSGS_OFFSET);
    assertEquals(64, AbiConstants.QUEUE_HEADER_SIZE);
    assertEquals(128, AbiConstants.CPU_SET_SIZE);
  }

  @Test
  void statusWordsFillTheRegionAfterItsHeader() {
    assertEquals(
        AbiConstants.SW_REGION_SIZE,
        64 + AbiConstants.SW_REGION_WORDS * AbiConstants.STATUS_WORD_SIZE);
  }

  @Test
  void errnoValues() {
    assertEquals(2, AbiConstants.ENOENT);
    assertEquals(3, AbiConstants.ESRCH);
    assertEquals(13, AbiConstants.EACCES);
    assertEquals(16, AbiConstants.EBUSY);
    assertEquals(17, AbiConstants.EEXIST);
    assertEquals(19, AbiConstants.ENODEV);
    assertEquals(22, AbiConstants.EINVAL);
    assertEquals(75, AbiConstants.EOVERFLOW);
    assertEquals(116, AbiConstants.ESTALE);
  }

  @ParameterizedTest
  @CsvSource({
    "1,     4096",
    "64,    4096",
    "256,   4096",
    "512,   8192",
    "1024,  12288",
    "65536, 528384",
  })
  void queueMapSize(int nelems, int expected) {
    assertEquals(expected, AbiConstants.queueMapSize(nelems));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 3, 1000, 131072})
  void rejectsBadQueueSizes(int nelems) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AbiConstants.queueMapSize(nelems));
    assertTrue(e.getMessage().endsWith("got " + nelems), e.getMessage());
  }
}
