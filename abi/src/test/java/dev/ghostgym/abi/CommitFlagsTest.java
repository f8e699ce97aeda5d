package dev.ghostgym.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommitFlagsTest {

  @Test
  void bits() {
    assertEquals(0x1, CommitFlags.COMMIT_AT_SCHEDULE);
    assertEquals(0x2, CommitFlags.COMMIT_AT_TXN_COMMIT);
    assertEquals(0x4, CommitFlags.ALLOW_TASK_ONCPU);
    assertEquals(0x8, CommitFlags.ELIDE_AGENT_BARRIER_INC);
    assertEquals(0x10, CommitFlags.INC_AGENT_BARRIER_ON_FAILURE);
    assertEquals(0x1f, CommitFlags.ALL);
  }

  @ParameterizedTest
  @CsvSource({
    "0x00, true,  true",
    "0x01, true,  false",
    "0x02, true,  false",
    "0x03, false, false", // both COMMIT_AT flags
    "0x04, true,  true",
    "0x06, true,  false",
    "0x08, true,  true",
    "0x10, true,  true",
    "0x12, true,  false",
    "0x18, false, true", // ELIDE with INC_ON_FAILURE
    "0x1a, false, false",
    "0x1f, false, false",
    "0x0f, false, false",
    "0x17, false, false",
    "0x15, true,  false",
    "0x20, false, true", // unknown bit 5
    "0x80, false, true",
    "0x100, false, true",
  })
  void kernelRulesAndGreedy(String flags, boolean valid, boolean greedy) {
    int f = Integer.decode(flags);
    assertEquals(valid, CommitFlags.valid(f));
    assertEquals(greedy, CommitFlags.isGreedy(f));
  }

  @Test
  void describe() {
    assertEquals("none", CommitFlags.describe(0));
    assertEquals("COMMIT_AT_TXN_COMMIT", CommitFlags.describe(2));
    assertEquals(
        "COMMIT_AT_SCHEDULE|COMMIT_AT_TXN_COMMIT|ALLOW_TASK_ONCPU|ELIDE_AGENT_BARRIER_INC"
            + "|INC_AGENT_BARRIER_ON_FAILURE",
        CommitFlags.describe(CommitFlags.ALL));
    assertEquals("ALLOW_TASK_ONCPU|0x40", CommitFlags.describe(0x44));
  }
}
