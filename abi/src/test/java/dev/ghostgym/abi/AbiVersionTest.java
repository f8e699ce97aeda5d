package dev.ghostgym.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AbiVersionTest {

  @Test
  void numbersAndLookup() {
    assertArrayEquals(
        new AbiVersion[] {AbiVersion.V84, AbiVersion.V90, AbiVersion.V91}, AbiVersion.values());
    assertEquals(84, AbiVersion.V84.number());
    assertEquals(90, AbiVersion.V90.number());
    assertEquals(91, AbiVersion.V91.number());
    assertEquals(AbiVersion.V84, AbiVersion.of(84));
    assertEquals(AbiVersion.V90, AbiVersion.of(90));
    assertEquals(AbiVersion.V91, AbiVersion.of(91));
    assertEquals(AbiVersion.V91, AbiVersion.latest());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 69, 85, 89, 92, -84})
  void unknownVersionIsNamedWithTheSupportedOnes(int n) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AbiVersion.of(n));
    assertTrue(e.getMessage().contains(" " + n + ";"), e.getMessage());
    assertTrue(e.getMessage().contains("84, 90, 91"), e.getMessage());
  }
}
