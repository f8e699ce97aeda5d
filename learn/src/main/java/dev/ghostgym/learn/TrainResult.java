package dev.ghostgym.learn;

/**
 * What a training run produced, whichever algorithm ran it.
 *
 * @param steps environment steps taken in total (a resumed run counts from its checkpoint)
 * @param stepsPerSecond environment steps per second of this run, learning included
 * @param lastEvalResponseUs mean response of the last evaluation on held-out seeds
 * @param fifoResponseUs FIFO's mean response on the same seeds
 */
public record TrainResult(
    long steps, double stepsPerSecond, double lastEvalResponseUs, double fifoResponseUs) {}
