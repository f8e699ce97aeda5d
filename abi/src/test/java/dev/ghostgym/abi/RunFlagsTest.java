package dev.ghostgym.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunFlagsTest {

  @Test
  void bits() {
    assertEquals(0x1, RunFlags.RTLA_ON_PREEMPT);
    assertEquals(0x2, RunFlags.RTLA_ON_BLOCKED);
    assertEquals(0x4, RunFlags.RTLA_ON_YIELD);
    assertEquals(0x20, RunFlags.RTLA_ON_IDLE);
    assertEquals(0x40, RunFlags.NEED_L1D_FLUSH);
    assertEquals(0x80, RunFlags.NEED_CPU_NOT_IDLE);
    assertEquals(0x200, RunFlags.ELIDE_PREEMPT);
    assertEquals(0x400, RunFlags.SEND_TASK_ON_CPU);
    assertEquals(0x800, RunFlags.DEFER_LATCHED_PREEMPTION_BY_AGENT);
    assertEquals(0x1000, RunFlags.DO_NOT_PREEMPT);
    assertEquals(0x1ee7, RunFlags.ALL);
  }

  /** gtid 42 is a real task; 0 NULL, -1 AGENT, -2 IDLE, -3 an invalid special value. */
  @ParameterizedTest
  @CsvSource({
    "0x0000,  42, true",
    "0x0000,   0, true",
    "0x0000,  -1, true",
    "0x0000,  -2, true",
    "0x1ee7,  42, false", // NEED_CPU_NOT_IDLE is set
    "0x1e67,  42, true", // ALL without NEED_CPU_NOT_IDLE
    "0x0007,  42, true",
    "0x0020,  42, true", // RTLA_ON_IDLE with a real task
    "0x0020,   0, true", // RTLA_ON_IDLE with NULL (RUN-yield uses this)
    "0x0020,  -1, false", // RTLA_ON_IDLE with a negative gtid
    "0x0020,  -2, false",
    "0x0080,  -2, true", // NEED_CPU_NOT_IDLE with IDLE
    "0x00c0,  -2, true", // ... plus L1D flush
    "0x0080,  42, false",
    "0x0080,   0, false",
    "0x0080,  -1, false",
    "0x00a0,  -2, false", // IDLE may not also have RTLA_ON_IDLE
    "0x0001,  -1, false", // AGENT needs run_flags 0
    "0x0400,  -1, false",
    "0x0008,  42, false", // unknown bit 3
    "0x0010,  42, false", // unknown bit 4
    "0x0100,  42, false", // unknown bit 8
    "0x2000,  42, false", // unknown bit 13
    "0x10000, 42, false", // beyond 16 bits
    "0x0000,  -3, true", // gtid < -2 is INVALID_TARGET later, not INVALID_FLAGS
  })
  void kernelRules(String flags, long gtid, boolean valid) {
    assertEquals(valid, RunFlags.valid(Integer.decode(flags), gtid));
  }

  @Test
  void describe() {
    assertEquals("none", RunFlags.describe(0));
    assertEquals(
        "RTLA_ON_PREEMPT|RTLA_ON_BLOCKED|RTLA_ON_YIELD|RTLA_ON_IDLE|NEED_L1D_FLUSH|NEED_CPU_NOT_IDLE"
            + "|ELIDE_PREEMPT|SEND_TASK_ON_CPU|DEFER_LATCHED_PREEMPTION_BY_AGENT|DO_NOT_PREEMPT",
        RunFlags.describe(RunFlags.ALL));
    assertEquals("RTLA_ON_IDLE|0x108", RunFlags.describe(0x128));
  }
}
