package dev.ghostgym.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IoctlTest {

  /** The §1.5 table: request, nr, direction (0 none, 1 W, 2 R, 3 RW), arg struct size, value. */
  @ParameterizedTest
  @CsvSource({
    "NULL,                 0, 0,  0, 0x00006700",
    "SW_GET_INFO,          1, 3, 24, 0xC0186701",
    "SW_FREE,              2, 1,  8, 0x40086702",
    "CREATE_QUEUE,         3, 3, 24, 0xC0186703",
    "ASSOC_QUEUE,          4, 1, 32, 0x40206704",
    "SET_DEFAULT_QUEUE,    5, 1,  4, 0x40046705",
    "CONFIG_QUEUE_WAKEUP,  6, 1, 24, 0x40186706",
    "GET_CPU_TIME,         7, 3, 16, 0xC0106707",
    "COMMIT_TXN,           8, 1, 16, 0x40106708",
    "SYNC_GROUP_TXN,       9, 1, 16, 0x40106709",
    "TIMERFD_SETTIME,     10, 3, 48, 0xC030670A",
    "RUN,                 11, 1, 24, 0x4018670B",
  })
  void valuesMatchTableAndIocEncoding(Ioctl ioctl, int nr, int dir, int size, String hex) {
    long value = Long.parseLong(hex.substring(2), 16);
    assertEquals(value, ioctl.request());
    assertEquals(Ioctl.encode(dir, 'g', nr, size), ioctl.request());
    assertEquals(nr, ioctl.nr());
    assertEquals(dir, ioctl.dir());
    assertEquals(size, ioctl.size());
    assertEquals(nr, ioctl.ordinal());
    assertTrue(ioctl.request() > 0, "unsigned, never sign-extended");
  }

  @Test
  void constants() {
    assertEquals(12, Ioctl.values().length);
    assertEquals(0x67, Ioctl.TYPE);
    assertEquals(0, Ioctl.DIR_NONE);
    assertEquals(1, Ioctl.DIR_WRITE);
    assertEquals(2, Ioctl.DIR_READ);
    assertEquals(3, Ioctl.DIR_RW);
    assertEquals(3222824705L, Ioctl.SW_GET_INFO.request());
  }

  @Test
  void encodeIsLinuxIoc() {
    assertEquals(0xFFFFFFFFL, Ioctl.encode(3, 0xff, 0xff, 0x3fff));
    assertEquals(0x80000000L, Ioctl.encode(2, 0, 0, 0));
    assertEquals(0x00010000L, Ioctl.encode(0, 0, 0, 1));
  }

  @Test
  void encodeRejectsOutOfRangeFields() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Ioctl.encode(4, 'g', 0, 0));
    assertTrue(e.getMessage().contains("dir=4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Ioctl.encode(1, 'g', 0, 0x4000));
    assertTrue(e.getMessage().contains("size=16384"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Ioctl.encode(1, 256, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> Ioctl.encode(1, 'g', -1, 0));
  }
}
