package dev.ghostgym.live;

/**
 * Runs the agents' decision path before they attach to the real enclave, so that the JIT has
 * compiled it by the first real pass: a cold JVM interprets the first thousands of passes, each
 * tens of times slower than a compiled one, while real tasks wait. {@code emulation.EmulatedWarmup}
 * runs a separate instance of the same agents over the emulated kernel, through the same {@link
 * GhostPort}, ring decoding and txn code.
 */
public interface Warmup {
  /** Runs the warm-up and returns how many agent passes it ran. */
  long run();
}
