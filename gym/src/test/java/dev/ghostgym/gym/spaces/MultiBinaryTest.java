package dev.ghostgym.gym.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MultiBinaryTest {
  private final MultiBinary space = new MultiBinary(4);

  @Test
  void containsOnlyZeroOneVectorsOfLengthN() {
    assertTrue(space.contains(new int[] {0, 1, 1, 0}));
    assertFalse(space.contains(new int[] {0, 2, 1, 0}));
    assertFalse(space.contains(new int[] {0, 1, 1}));
    assertFalse(space.contains(new boolean[4]));
    assertEquals(
        "element 1 = 2 is not 0 or 1 in MultiBinary(4)", space.mismatch(new int[] {0, 2, 1, 0}));
  }

  @Test
  void maskZeroForcesZeroOneForcesOneTwoSamples() {
    SplittableRandom rng = new SplittableRandom(6);
    int[] ones = new int[4];
    for (int i = 0; i < 2000; i++) {
      int[] x = space.sample(rng, new byte[] {0, 1, 2, 2});
      for (int j = 0; j < 4; j++) {
        ones[j] += x[j];
      }
    }
    assertEquals(0, ones[0]);
    assertEquals(2000, ones[1]);
    assertTrue(
        ones[2] > 900 && ones[2] < 1100 && ones[3] > 900 && ones[3] < 1100,
        ones[2] + " " + ones[3]);
    assertThrows(IllegalArgumentException.class, () -> space.sample(rng, new int[] {0, 3, 0, 0}));
    assertThrows(IllegalArgumentException.class, () -> space.sample(rng, new boolean[4]));
    for (int i = 0; i < 100; i++) {
      assertTrue(space.contains(space.sample(rng)));
    }
  }

  @Test
  void flattensAsItIs() {
    assertArrayEquals(new float[] {1, 0, 0, 1}, space.flatten(new int[] {1, 0, 0, 1}));
    assertArrayEquals(new int[] {1, 0, 0, 1}, space.unflatten(new float[] {1, 0, 0, 1}));
    assertEquals(4, space.flatDim());
    assertEquals(new Box(0f, 1f, 4), space.flattenSpace());
  }

  @Test
  void reprAndEquality() {
    assertEquals("MultiBinary(4)", space.toString());
    assertEquals(new MultiBinary(4), space);
    assertNotEquals(new MultiBinary(5), space);
    assertThrows(IllegalArgumentException.class, () -> new MultiBinary(0));
  }
}
