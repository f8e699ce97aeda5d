package dev.ghostgym.gym.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BoxTest {
  private static final float INF = Float.POSITIVE_INFINITY;

  @Test
  void reprFollowsGymnasium() {
    assertEquals("Box(0.0, 16.0, (7,), float32)", new Box(0f, 16f, 7).toString());
    assertEquals("Box(-inf, inf, (2, 3), float32)", new Box(-INF, INF, 2, 3).toString());
    assertEquals("Box(0.0, 1.0, (), float32)", new Box(0f, 1f).toString());
    assertEquals(
        "Box([0.0 1.0], [1.0 2.5], (2,), float32)",
        new Box(new float[] {0f, 1f}, new float[] {1f, 2.5f}).toString());
    assertEquals("Box(1e-05, 1e+10, (1,), float32)", new Box(1e-5f, 1e10f, 1).toString());
  }

  @Test
  void containsChecksLengthBoundsAndRejectsNaN() {
    Box box = new Box(0f, 16f, 7);
    assertTrue(box.contains(new float[7]));
    assertTrue(box.contains(new float[] {0f, 16f, 1f, 2f, 3f, 4f, 15.99f}));
    assertFalse(box.contains(new float[] {0f, 16.01f, 1f, 2f, 3f, 4f, 5f}));
    assertFalse(box.contains(new float[] {0f, -0.01f, 1f, 2f, 3f, 4f, 5f}));
    assertFalse(box.contains(new float[6]));
    assertFalse(box.contains(new double[7]), "float64 cannot be cast to float32, as np.can_cast");
    assertFalse(box.contains(null));
    assertEquals(
        "element 3 = NaN is not in [0.0, 16.0] of Box(0.0, 16.0, (7,), float32)",
        box.mismatch(new float[] {0f, 0f, 0f, Float.NaN, 0f, 0f, 0f}));
    assertEquals(
        "float[6] is not in Box(0.0, 16.0, (7,), float32): expected length 7",
        box.mismatch(new float[6]));
    Box open = new Box(-INF, INF, 2);
    assertTrue(open.contains(new float[] {-INF, 1e30f}));
    assertFalse(open.contains(new float[] {Float.NaN, 0f}));
  }

  @Test
  void constructorValidatesBounds() {
    assertEquals(
        "Box low must be <= high everywhere, but low[1] = 3.0 > high[1] = 2.0",
        assertThrows(
                IllegalArgumentException.class,
                () -> new Box(new float[] {0f, 3f}, new float[] {1f, 2f}))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Box(Float.NaN, 1f, 2));
    assertThrows(
        IllegalArgumentException.class, () -> new Box(new float[2], new float[3], new int[] {2}));
    assertThrows(IllegalArgumentException.class, () -> new Box(0f, 1f, -1));
  }

  @Test
  void samplesFollowTheBoundednessOfEachElement() {
    Box box = new Box(new float[] {-1f, 2f, -INF, -INF}, new float[] {1f, INF, 5f, INF});
    SplittableRandom rng = new SplittableRandom(4);
    double[] sums = new double[4];
    int n = 20000;
    for (int i = 0; i < n; i++) {
      float[] x = box.sample(rng);
      assertTrue(box.contains(x));
      for (int j = 0; j < 4; j++) {
        sums[j] += x[j];
      }
    }
    assertEquals(0.0, sums[0] / n, 0.03, "uniform on [-1, 1]");
    assertEquals(3.0, sums[1] / n, 0.05, "2 + Exp(1)");
    assertEquals(4.0, sums[2] / n, 0.05, "5 - Exp(1)");
    assertEquals(0.0, sums[3] / n, 0.05, "N(0, 1)");
    assertThrows(UnsupportedOperationException.class, () -> box.sample(rng, new int[4]));
  }

  @Test
  void flattensAsItIsIntoACopy() {
    Box box = new Box(0f, 1f, 2, 3);
    float[] x = {0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
    float[] flat = box.flatten(x);
    assertArrayEquals(x, flat);
    assertNotSame(x, flat);
    assertArrayEquals(x, box.unflatten(flat));
    assertEquals(6, box.flatDim());
    assertEquals("Box(0.0, 1.0, (6,), float32)", box.flattenSpace().toString());
  }

  @Test
  void equalityComparesShapeAndBounds() {
    assertEquals(new Box(0f, 1f, 3), new Box(new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f}));
    assertEquals(
        new Box(0f, 1f, 3).hashCode(), new Box(new float[3], new float[] {1f, 1f, 1f}).hashCode());
    assertNotEquals(new Box(0f, 1f, 3), new Box(0f, 1f, 1, 3));
    assertNotEquals(new Box(0f, 1f, 3), new Box(0f, 2f, 3));
  }
}
