package dev.ghostgym.learn.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ArrayMlpTest {
  @Test
  void fastTanhStaysWithinFloatPrecisionOfTheExactOne() {
    double worst = 0;
    float[] all = new float[24_001];
    for (int i = 0; i < all.length; i++) all[i] = -12f + i * 0.001f;
    float[] vec = all.clone();
    ArrayMlp.tanhAll(vec, vec.length);
    for (int i = 0; i < all.length; i++) {
      float v = all[i];
      worst = Math.max(worst, Math.abs(ArrayMlp.tanh(v) - Math.tanh(v)));
      assertEquals(ArrayMlp.tanh(v), vec[i], 0f, "the layer loop computes the same tanh");
    }
    assertEquals(0, worst, 4e-7, "largest error " + worst);
    assertEquals(1f, ArrayMlp.tanh(50f), 0f);
    assertEquals(-1f, ArrayMlp.tanh(-1e30f), 0f);
    assertEquals(0f, ArrayMlp.tanh(0f), 0f);
  }

  @Test
  void aHandComputedTwoLayerNetwork() {
    // 2 inputs -> 2 hidden (tanh) -> 1 output; weights input-major.
    ArrayMlp m =
        new ArrayMlp(
            new int[] {2, 2, 1},
            new float[][] {{1, 0, 0, 1}, {2, -1}},
            new float[][] {{0, 0.5f}, {0.25f}});
    float[] out = m.forward(new float[] {0.3f, -0.2f});
    double h0 = Math.tanh(0.3);
    double h1 = Math.tanh(-0.2 + 0.5);
    assertArrayEquals(new float[] {(float) (2 * h0 - h1 + 0.25)}, out, 1e-6f);
    assertThrows(
        IllegalArgumentException.class,
        () -> new ArrayMlp(new int[] {2, 1}, new float[][] {{1}}, new float[][] {{0}}));
  }
}
