package dev.ghostgym.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TxnStateTest {

  @ParameterizedTest
  @CsvSource({
    "COMPLETE,            -2147483648, true,  false, false",
    "ABORTED,             -2147483647, true,  true,  true",
    "TARGET_ONCPU,        -2147483646, true,  true,  true",
    "TARGET_STALE,        -2147483645, true,  true,  true",
    "TARGET_NOT_FOUND,    -2147483644, true,  true,  true",
    "TARGET_NOT_RUNNABLE, -2147483643, true,  true,  false",
    "AGENT_STALE,         -2147483642, true,  true,  true",
    "CPU_OFFLINE,         -2147483641, true,  true,  false",
    "CPU_UNAVAIL,         -2147483640, true,  true,  true",
    "INVALID_FLAGS,       -2147483639, true,  true,  false",
    "INVALID_TARGET,      -2147483638, true,  true,  false",
    "NOT_PERMITTED,       -2147483637, true,  true,  false",
    "INVALID_CPU,         -2147483636, true,  true,  false",
    "NO_AGENT,            -2147483635, true,  true,  true",
    "UNSUPPORTED_VERSION, -2147483634, true,  true,  false",
    "POISONED,            -2147483633, true,  true,  true",
    "READY,                2147483647, false, false, false",
  })
  void codesAndClassification(
      TxnState state, int code, boolean fin, boolean failure, boolean expected) {
    assertEquals(code, state.code());
    assertSame(state, TxnState.of(code));
    assertEquals(fin, state.isFinal());
    assertEquals(failure, state.isFailure());
    assertEquals(expected, state.isExpectedFailure());
    assertEquals(false, TxnState.isClaimed(code));
  }

  @Test
  void pinnedEndpoints() {
    assertEquals(17, TxnState.values().length);
    assertEquals(Integer.MIN_VALUE, TxnState.COMPLETE.code());
    assertEquals(-2147483633, TxnState.POISONED.code());
    assertEquals(Integer.MAX_VALUE, TxnState.READY.code());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 63, 1023, 2147483646})
  void claimedCodesAreNotStates(int code) {
    assertTrue(TxnState.isClaimed(code));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TxnState.of(code));
    assertTrue(e.getMessage().startsWith("txn state " + code + " "), e.getMessage());
    assertTrue(e.getMessage().contains("claimed"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, -22, -2147483632, -1000000})
  void unknownNegativeCodesAreNamed(int code) {
    assertEquals(false, TxnState.isClaimed(code));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TxnState.of(code));
    assertTrue(e.getMessage().contains("code " + code + ";"), e.getMessage());
  }
}
