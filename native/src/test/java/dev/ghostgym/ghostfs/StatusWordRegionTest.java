package dev.ghostgym.ghostfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.StatusFlags;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Status words in a 2 MiB region: header, word placement, field offsets, round trips. */
class StatusWordRegionTest {

  private static final ByteBuffer REGION = ByteBuffer.allocateDirect(AbiConstants.SW_REGION_SIZE);

  @Test
  void headerOfAFormattedRegion() {
    StatusWordWriter w = StatusWordWriter.format(REGION, 0, 1);
    StatusWordRegion r = w.region();
    assertEquals(0, r.version());
    assertEquals(0, r.id());
    assertEquals(1, r.numaNode());
    assertEquals(64, r.start());
    assertEquals(65_534, r.capacity());
    assertEquals(65_534, r.available());
    ByteBuffer le = REGION.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(64, le.getInt(12), "start at byte 12");
    assertEquals(65_534, le.getInt(16), "capacity at byte 16");
    w.setAvailable(65_000);
    assertEquals(65_000, le.getInt(20), "available at byte 20");
  }

  @Test
  void wordsRoundTripAtStartPlus32TimesIndex() {
    StatusWordWriter w = StatusWordWriter.format(REGION, 3, 0);
    StatusWordRegion r = new StatusWordRegion(REGION);
    assertEquals(3, r.id());
    int flags =
        StatusFlags.F_INUSE
            | StatusFlags.F_ALLOCATED
            | StatusFlags.TASK_ONCPU
            | StatusFlags.TASK_RUNNABLE;
    StatusWord word =
        new StatusWord(
            0xFFFF_FFF0, flags, 0x1234_5678_9ABC_DEF0L, 987_654_321_000L, 5_000_000_123L);
    w.write(65_533, word);
    assertEquals(word, r.read(65_533));
    assertEquals(64 + 32 * 65_533, r.offset(65_533));
    assertEquals(
        AbiConstants.SW_REGION_SIZE - 32, r.offset(65_533), "the last word ends the 2 MiB region");
    ByteBuffer le = REGION.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int at = r.offset(65_533);
    assertEquals(0xFFFF_FFF0, le.getInt(at), "barrier at 0");
    assertEquals(flags, le.getInt(at + 4), "flags at 4");
    assertEquals(0x1234_5678_9ABC_DEF0L, le.getLong(at + 8), "gtid at 8");
    assertEquals(987_654_321_000L, le.getLong(at + 16), "switch_time at 16");
    assertEquals(5_000_000_123L, le.getLong(at + 24), "runtime at 24");
    assertTrue(r.read(65_533).onCpu() && r.read(65_533).runnable() && r.read(65_533).inUse());
    assertFalse(r.read(65_533).canFree());
    assertEquals(new StatusWord(0, 0, 0, 0, 0), r.read(0));
  }

  @Test
  void barrierAndFlagsUpdates() {
    StatusWordWriter w = StatusWordWriter.format(REGION, 0, 0);
    StatusWordRegion r = w.region();
    w.write(7, new StatusWord(-1, StatusFlags.F_INUSE | StatusFlags.TASK_IS_AGENT, 99, 1, 2));
    assertEquals(0, w.bumpBarrier(7), "u32 barrier wraps from 0xFFFFFFFF to 0");
    assertEquals(1, w.bumpBarrier(7));
    assertEquals(1, r.barrier(7));
    w.setFlags(7, StatusFlags.F_INUSE | StatusFlags.F_CANFREE | StatusFlags.TASK_MSG_GATED);
    assertTrue(r.read(7).canFree());
    assertFalse(r.read(7).isAgent());
    w.setRuntime(7, 77);
    assertEquals(77, r.read(7).runtime());
    w.setBarrier(7, 40);
    assertEquals(
        new StatusWord(
            40,
            StatusFlags.F_INUSE | StatusFlags.F_CANFREE | StatusFlags.TASK_MSG_GATED,
            99,
            1,
            77),
        r.read(7));
  }

  @Test
  void readOnlyMappingsCanBeRead() {
    StatusWordWriter w = StatusWordWriter.format(REGION, 0, 0);
    w.write(2, new StatusWord(5, StatusFlags.F_INUSE, 42, 3, 4));
    StatusWordRegion ro = new StatusWordRegion(REGION.asReadOnlyBuffer());
    assertEquals(new StatusWord(5, StatusFlags.F_INUSE, 42, 3, 4), ro.read(2));
  }

  @Test
  void indexOutsideTheRegionIsNamed() {
    StatusWordRegion r = StatusWordWriter.format(REGION, 0, 0).region();
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> r.read(65_534));
    assertEquals("status word index 65534 outside 0..65533", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> r.read(-1));
    assertThrows(
        IllegalArgumentException.class, () -> new StatusWordRegion(ByteBuffer.allocate(4096)));
  }

  @Test
  void aWordsFlagsSayExactlyWhatIsSet() {
    StatusWord none = new StatusWord(1, 0, 5, 0, 0);
    assertFalse(
        none.inUse() || none.canFree() || none.onCpu() || none.runnable() || none.isAgent());
    StatusWord others = new StatusWord(1, ~(StatusFlags.F_INUSE), 5, 0, 0);
    assertFalse(others.inUse());
    assertTrue(others.onCpu() && others.runnable() && others.canFree() && others.isAgent());
    StatusWord busy = new StatusWord(1, StatusFlags.F_INUSE | StatusFlags.TASK_ONCPU, 5, 0, 0);
    assertTrue(busy.inUse() && busy.onCpu());
    assertFalse(busy.runnable());
  }
}
