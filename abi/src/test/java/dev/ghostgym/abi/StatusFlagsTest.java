package dev.ghostgym.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatusFlagsTest {

  @Test
  void statusWordBits() {
    assertEquals(0x1, StatusFlags.F_INUSE);
    assertEquals(0x2, StatusFlags.F_CANFREE);
    assertEquals(0x4, StatusFlags.F_ALLOCATED);
    assertEquals(0x100, StatusFlags.CPU_AVAIL);
    assertEquals(0x200, StatusFlags.BOOST_PRIO);
    assertEquals(0x10000, StatusFlags.TASK_ONCPU);
    assertEquals(0x20000, StatusFlags.TASK_RUNNABLE);
    assertEquals(0x40000, StatusFlags.TASK_IS_AGENT);
    assertEquals(0x80000, StatusFlags.TASK_MSG_GATED);
  }

  @Test
  void assocBits() {
    assertEquals(1, AssocFlags.ASSOC_SF_ALREADY);
    assertEquals(2, AssocFlags.ASSOC_SF_BRAND_NEW);
    assertEquals("ASSOC_SF_ALREADY|ASSOC_SF_BRAND_NEW", AssocFlags.describe(3));
    assertEquals("none", AssocFlags.describe(0));
    assertEquals("ASSOC_SF_BRAND_NEW|0x4", AssocFlags.describe(6));
  }

  @Test
  void describeListsSetNamesInBitOrder() {
    assertEquals("none", StatusFlags.describe(0));
    assertEquals("F_INUSE|TASK_ONCPU|TASK_RUNNABLE", StatusFlags.describe(0x30001));
    assertEquals(
        "F_INUSE|F_CANFREE|F_ALLOCATED|CPU_AVAIL|BOOST_PRIO|TASK_ONCPU|TASK_RUNNABLE"
            + "|TASK_IS_AGENT|TASK_MSG_GATED",
        StatusFlags.describe(0xf0307));
    assertEquals("F_CANFREE|TASK_MSG_GATED|0x80000008", StatusFlags.describe(0x80080008 | 0x2));
  }
}
