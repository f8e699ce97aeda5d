package dev.ghostgym.sim;

/** A ghOSt invariant (docs/KERNEL-MODEL.md section 2.14, numbered there) did not hold. */
public final class InvariantViolation extends RuntimeException {
  private final int rule;

  public InvariantViolation(int rule, String what) {
    super("invariant " + rule + " violated: " + what);
    this.rule = rule;
  }

  /** The rule's number in docs/KERNEL-MODEL.md section 2.14 (0 = task accounting). */
  public int rule() {
    return rule;
  }
}
