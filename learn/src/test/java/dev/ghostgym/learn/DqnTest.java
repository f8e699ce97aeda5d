package dev.ghostgym.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DqnTest {
  @TempDir Path dir;

  @Test
  void doubleDqnLearnsTheTinyWorkloadAndSavesALoadablePolicy() {
    DqnConfig c =
        new DqnConfig(
            4, 20_000, 1e-3, 0.99, 64, 500, 1, 500, 1.0, 0.05, 0.5, true, new int[] {32, 32});
    TrainResult r = Dqn.train(c, Tiny.spec(8, 8000, dir));
    assertEquals(8000, r.steps());
    long[] seeds = TrainSpec.heldOutSeeds(5);
    double random = Evaluation.meanResponseUs(Tiny.options(), seeds, "random");
    double learned;
    try (LearnedPolicy p = LearnedPolicy.load(dir)) {
      assertEquals("dqn", p.checkpoint().algo());
      learned = Evaluation.meanResponseUs(Tiny.options(), seeds, s -> Evaluation.agents(p));
    }
    System.out.printf(
        "dqn tiny: %.0f steps/s, learned %.1fus random %.1fus%n",
        r.stepsPerSecond(), learned, random);
    assertTrue(learned < random, "learned " + learned + " us vs random " + random + " us");
  }
}
