package dev.ghostgym.gym.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MultiDiscreteTest {
  private final MultiDiscrete space = new MultiDiscrete(new int[] {2, 3, 4});

  @Test
  void containsChecksEachDimension() {
    assertTrue(space.contains(new int[] {1, 2, 3}));
    assertTrue(space.contains(new int[] {0, 0, 0}));
    assertFalse(space.contains(new int[] {2, 0, 0}));
    assertFalse(space.contains(new int[] {0, -1, 0}));
    assertFalse(space.contains(new int[] {0, 0}));
    assertFalse(space.contains(new long[] {0, 0, 0}));
    assertEquals(
        "element 2 = 4 is not in [0, 3] of MultiDiscrete([2 3 4])",
        space.mismatch(new int[] {0, 0, 4}));
    MultiDiscrete shifted = new MultiDiscrete(new int[] {2, 3}, new int[] {1, -1});
    assertTrue(shifted.contains(new int[] {2, 1}));
    assertFalse(shifted.contains(new int[] {0, 0}));
  }

  @Test
  void samplesStayInsideAndMasksWorkPerDimension() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 500; i++) {
      assertTrue(space.contains(space.sample(rng)));
    }
    byte[][] mask = {{0, 1}, {0, 0, 1}, {1, 0, 0, 0}};
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(new int[] {1, 2, 0}, space.sample(rng, mask));
    }
    List<Object> none = List.of(new boolean[2], new boolean[] {false, true, false}, new int[4]);
    assertArrayEquals(
        new int[] {0, 1, 0},
        space.sample(rng, none),
        "a dimension allowing nothing gives its start");
    assertThrows(
        IllegalArgumentException.class, () -> space.sample(rng, new byte[][] {{1, 1}, {1, 1, 1}}));
  }

  @Test
  void flattensToConcatenatedOneHots() {
    assertEquals(9, space.flatDim());
    float[] flat = space.flatten(new int[] {1, 2, 0});
    assertArrayEquals(new float[] {0, 1, 0, 0, 1, 1, 0, 0, 0}, flat);
    assertArrayEquals(new int[] {1, 2, 0}, space.unflatten(flat));
    MultiDiscrete shifted = new MultiDiscrete(new int[] {2, 3}, new int[] {1, -1});
    assertArrayEquals(new int[] {2, -1}, shifted.unflatten(shifted.flatten(new int[] {2, -1})));
    assertThrows(IllegalArgumentException.class, () -> space.unflatten(new float[9]));
    assertEquals(new Box(0f, 1f, 9), space.flattenSpace());
  }

  @Test
  void reprAndEquality() {
    assertEquals("MultiDiscrete([2 3 4])", space.toString());
    assertEquals(
        "MultiDiscrete([2 3], start=[1 -1])",
        new MultiDiscrete(new int[] {2, 3}, new int[] {1, -1}).toString());
    assertEquals(new MultiDiscrete(new int[] {2, 3, 4}), space);
    assertEquals(new MultiDiscrete(new int[] {2, 3, 4}).hashCode(), space.hashCode());
    assertFalse(space.equals(new MultiDiscrete(new int[] {2, 3, 4}, new int[] {0, 0, 1})));
    assertThrows(IllegalArgumentException.class, () -> new MultiDiscrete(new int[] {2, 0}));
  }
}
