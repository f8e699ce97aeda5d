package dev.ghostgym.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaskTest {
  @Test
  void maskedSamplingNeverPicksAnInvalidAction() {
    SplittableRandom rng = new SplittableRandom(11);
    int rows = 200, actions = 17;
    float[][] logits = new float[rows][actions];
    boolean[][] masks = new boolean[rows][actions];
    for (int i = 0; i < rows; i++) {
      for (int a = 0; a < actions; a++) {
        // invalid actions get the largest raw logits, so only the mask keeps them out
        masks[i][a] = rng.nextInt(4) == 0;
        logits[i][a] = masks[i][a] ? (float) rng.nextGaussian() : 20f + (float) rng.nextGaussian();
      }
      masks[i][rng.nextInt(actions)] = true;
    }
    float[][] logProbs;
    try (NDManager m = Torch.manager()) {
      logProbs = Nets.rows(Nets.batch(m, logits).add(Nets.penalty(m, masks)).logSoftmax(1));
    }
    int[] counts = new int[actions];
    for (int k = 0; k < 100; k++) {
      for (int i = 0; i < rows; i++) {
        int a = Ppo.sample(logProbs[i], masks[i], rng);
        assertTrue(masks[i][a], "row " + i + " sampled invalid action " + a);
        counts[a]++;
        int g = Nets.argmax(logits[i], masks[i]);
        assertTrue(masks[i][g], "argmax picked invalid " + g);
        assertTrue(masks[i][Dqn.randomValid(masks[i], rng)]);
      }
    }
    for (int i = 0; i < rows; i++) {
      double total = 0;
      for (int a = 0; a < actions; a++) {
        if (!masks[i][a])
          assertEquals(0.0, Math.exp(logProbs[i][a]), 0.0, "invalid action has probability");
        else total += Math.exp(logProbs[i][a]);
      }
      assertEquals(1.0, total, 1e-4);
    }
    int used = 0;
    for (int c : counts) if (c > 0) used++;
    assertTrue(used > actions / 2, "sampling explores the valid actions");
  }

  @Test
  void onlyOneValidActionIsAlwaysChosen() {
    boolean[] mask = new boolean[17];
    mask[5] = true;
    float[] lp = new float[17];
    Arrays.fill(lp, -1e9f);
    lp[5] = 0;
    SplittableRandom rng = new SplittableRandom(1);
    for (int k = 0; k < 1000; k++) assertEquals(5, Ppo.sample(lp, mask, rng));
    assertEquals(5, Nets.argmax(new float[17], mask));
  }
}
