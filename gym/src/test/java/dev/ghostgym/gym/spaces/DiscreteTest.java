package dev.ghostgym.gym.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DiscreteTest {
  private final Discrete space = new Discrete(3, -1);

  @Test
  void containsExactlyStartToStartPlusNMinusOne() {
    assertTrue(space.contains(-1));
    assertTrue(space.contains(0));
    assertTrue(space.contains(1));
    assertFalse(space.contains(2));
    assertFalse(space.contains(-2));
    assertFalse(space.contains(0L), "only Integer values");
    assertFalse(space.contains(true), "Python would accept True; Java does not");
    assertFalse(space.contains(null));
    assertEquals("2 is not in Discrete(3, start=-1)", space.mismatch(2));
    assertNull(space.mismatch(1));
  }

  @Test
  void samplesCoverTheRangeUniformlyAndRepeatWithTheSeed() {
    int[] counts = new int[3];
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 3000; i++) {
      counts[space.sample(rng) + 1]++;
    }
    for (int c : counts) {
      assertTrue(c > 900 && c < 1100, "count " + c);
    }
    space.seed(7L);
    int[] first = {space.sample(), space.sample(), space.sample(), space.sample()};
    space.seed(7L);
    int[] second = {space.sample(), space.sample(), space.sample(), space.sample()};
    assertArrayEquals(first, second);
  }

  @Test
  void masksAcceptBooleanInt8AndIntAndFallBackToStart() {
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < 50; i++) {
      assertEquals(1, space.sample(rng, new boolean[] {false, false, true}));
      assertEquals(0, space.sample(rng, new byte[] {0, 1, 0}));
      assertEquals(
          -1, space.sample(rng, new int[] {0, 0, 0}), "nothing allowed gives start, as Gymnasium");
    }
    int[] counts = new int[3];
    for (int i = 0; i < 2000; i++) {
      counts[space.sample(rng, new int[] {1, 0, 1}) + 1]++;
    }
    assertEquals(0, counts[1]);
    assertTrue(counts[0] > 900 && counts[2] > 900, counts[0] + " " + counts[2]);
  }

  @Test
  void badMasksAreRejectedWithTheReason() {
    SplittableRandom rng = new SplittableRandom(3);
    assertEquals(
        "mask for Discrete(3, start=-1) has length 2, expected 3",
        assertThrows(IllegalArgumentException.class, () -> space.sample(rng, new int[] {1, 1}))
            .getMessage());
    assertEquals(
        "mask for Discrete(3, start=-1) must hold only 0 and 1, got 2 at index 1",
        assertThrows(IllegalArgumentException.class, () -> space.sample(rng, new byte[] {1, 2, 0}))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> space.sample(rng, "101"));
  }

  @Test
  void flattensOneHotAndBack() {
    assertEquals(3, space.flatDim());
    assertArrayEquals(new float[] {0f, 0f, 1f}, space.flatten(1));
    assertArrayEquals(new float[] {1f, 0f, 0f}, space.flatten(-1));
    for (int v = -1; v <= 1; v++) {
      assertEquals(v, space.unflatten(space.flatten(v)));
    }
    assertEquals(
        0, space.unflatten(new float[] {0f, 0.5f, 1f}), "first non-zero wins, as Gymnasium");
    assertThrows(IllegalArgumentException.class, () -> space.unflatten(new float[3]));
    assertThrows(IllegalArgumentException.class, () -> space.unflatten(new float[4]));
    assertThrows(IllegalArgumentException.class, () -> space.flatten(2));
    assertEquals(new Box(0f, 1f, 3), space.flattenSpace());
  }

  @Test
  void reprAndEqualityFollowGymnasium() {
    assertEquals("Discrete(8)", new Discrete(8).toString());
    assertEquals("Discrete(3, start=-1)", space.toString());
    assertEquals(new Discrete(3, -1), space);
    assertEquals(new Discrete(3, -1).hashCode(), space.hashCode());
    assertNotEquals(new Discrete(3), space);
    assertThrows(IllegalArgumentException.class, () -> new Discrete(0));
  }
}
