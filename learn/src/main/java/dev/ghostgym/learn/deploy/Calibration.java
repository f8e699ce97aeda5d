package dev.ghostgym.learn.deploy;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Policy;
import java.util.Arrays;

/**
 * Measures what one decision of a policy costs on this machine, so that the simulator can charge
 * it: PICK decisions on {@link SampleRequests} with a full queue, after a warm-up that lets the JIT
 * compile the path, timed in batches of 64; a round's figure is its median batch's mean per
 * decision, and rounds repeat (at least 5, at most 12) while the figure still falls by more than 2%
 * (the JIT compiling, or other processes taking the CPU); the lowest round, rounded up to 10 ns, is
 * the cost. It is measured once, when a model is exported, and stored with it, so runs stay
 * deterministic (the same checkpoint charges the same cost); the machine is recorded beside it.
 */
public final class Calibration {
  private static final int BATCH = 64;

  private Calibration() {}

  /**
   * Nanoseconds per PICK decision of {@code p} ({@code warmup} and {@code batches} scale the
   * effort).
   */
  public static long nsPerDecision(Policy p, int slots, int cpus, int warmup, int batches) {
    DecisionRequest[] reqs = SampleRequests.make(256, slots, cpus, false, 7);
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 12; round++) {
      double ns = round(p, reqs, warmup, batches);
      boolean settled =
          round >= 4 && ns > 0.98 * best; // 4 rounds at least: C2 compiles late under load
      best = Math.min(best, ns);
      if (settled) break;
    }
    return Math.max(10, (long) Math.ceil(best / 10) * 10);
  }

  private static double round(Policy p, DecisionRequest[] reqs, int warmup, int batches) {
    long sink = 0;
    for (int i = 0; i < warmup; i++) sink += p.decide(reqs[i & 255]);
    long[] perBatch = new long[batches];
    int k = 0;
    for (int b = 0; b < batches; b++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < BATCH; i++) sink += p.decide(reqs[k++ & 255]);
      perBatch[b] = System.nanoTime() - t0;
    }
    if (sink == Long.MIN_VALUE) System.out.print(""); // keeps the answers alive
    Arrays.sort(perBatch);
    return (double) perBatch[batches / 2] / BATCH;
  }

  /** This machine, in words, for the record beside a calibrated cost. */
  public static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " CPUs, "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch")
        + ", Java "
        + System.getProperty("java.version");
  }
}
