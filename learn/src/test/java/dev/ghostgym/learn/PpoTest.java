package dev.ghostgym.learn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PpoTest {
  @TempDir Path dir;

  @Test
  void aFewSecondsOfPpoBeatRandomPicksOnHeldOutSeeds() {
    long t0 = System.nanoTime();
    TrainResult r = Ppo.train(Tiny.ppo(), Tiny.spec(7, 6000, dir));
    double secs = (System.nanoTime() - t0) / 1e9;
    long[] seeds = TrainSpec.heldOutSeeds(5);
    double random = Evaluation.meanResponseUs(Tiny.options(), seeds, "random");
    double fifo = Evaluation.meanResponseUs(Tiny.options(), seeds, "centralized-fifo");
    double learned;
    try (LearnedPolicy p = LearnedPolicy.load(dir)) {
      learned = Evaluation.meanResponseUs(Tiny.options(), seeds, s -> Evaluation.agents(p));
    }
    System.out.printf(
        "ppo tiny: %.1fs, %.0f steps/s, learned %.1fus random %.1fus fifo %.1fus%n",
        secs, r.stepsPerSecond(), learned, random, fifo);
    assertTrue(learned < 0.9 * random, "learned " + learned + " us vs random " + random + " us");
    assertTrue(Files.exists(dir.resolve(TrainLog.CSV)) && Files.exists(dir.resolve(TrainLog.PNG)));
  }
}
