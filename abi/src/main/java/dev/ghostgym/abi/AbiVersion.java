package dev.ghostgym.abi;

/**
 * The ghOSt kernel ABI versions ghost-gym understands (the value of {@code GHOST_VERSION}). ABI 84
 * differs from 90 and 91 only in three payload sizes (task_new, task_dead, cpu_tick); 90 and 91
 * have identical layouts. A live binding reads {@code /sys/fs/ghost/version} and picks one of
 * these.
 */
public enum AbiVersion {
  V84(84),
  V90(90),
  V91(91);

  private final int number;

  AbiVersion(int number) {
    this.number = number;
  }

  /** The number the kernel reports, e.g. 91. */
  public int number() {
    return number;
  }

  /** The newest ABI in ghost-userspace ({@code abi/latest}), which the default build uses. */
  public static AbiVersion latest() {
    return V91;
  }

  /**
   * The version with this number; throws IllegalArgumentException naming it and the supported ones.
   */
  public static AbiVersion of(int n) {
    for (AbiVersion v : values()) {
      if (v.number == n) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unsupported ghOSt ABI version " + n + "; supported: 84, 90, 91");
  }
}
