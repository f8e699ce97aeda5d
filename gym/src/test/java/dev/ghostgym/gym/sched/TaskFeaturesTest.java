package dev.ghostgym.gym.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The features' logarithm without Math.log stays at a float's precision of the exact one. */
class TaskFeaturesTest {
  @Test
  void fastLn1pMatchesTheLibraryToAFloatUlp() {
    SplittableRandom rnd = new SplittableRandom(3);
    int same = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      // 1e-9 .. 1e12 on a log scale, the span of waits and attained times in us, and integers
      double x = i % 2 == 0 ? Math.pow(10, -9 + 21 * rnd.nextDouble()) : rnd.nextInt(1000);
      float exact = (float) Math.min(50, Math.log(1 + x));
      float fast = TaskFeatures.ln1p(x);
      assertTrue(Math.abs(fast - exact) <= Math.ulp(exact), x + ": " + fast + " vs " + exact);
      if (fast == exact) same++;
    }
    assertTrue(same > 0.99 * n, "equal floats: " + same + " of " + n);
    for (int k = -3; k < 1000; k++)
      assertEquals(TaskFeatures.ln1p((double) k), TaskFeatures.ln1p(k), 0f, "count " + k);
    assertEquals(0f, TaskFeatures.ln1p(0), 0f);
    assertEquals(0f, TaskFeatures.ln1p(-5), 0f);
    assertEquals(0f, TaskFeatures.ln1p(Double.NaN), 0f);
    assertEquals(50f, TaskFeatures.ln1p(1e30), 0f);
    assertEquals((float) Math.log(2), TaskFeatures.ln1p(1), 0f);
  }
}
