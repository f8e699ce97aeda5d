package dev.ghostgym.ghostfs;

import dev.ghostgym.abi.StatusFlags;

/**
 * A snapshot of one {@code ghost_status_word}: {@code barrier} (the task's or agent's sequence
 * number, a u32 kept as int), {@code flags} ({@link StatusFlags}), the {@code gtid}, the last
 * switch-in time and the runtime, both in ns.
 */
public record StatusWord(int barrier, int flags, long gtid, long switchTime, long runtime) {

  public boolean inUse() {
    return (flags & StatusFlags.F_INUSE) != 0;
  }

  public boolean canFree() {
    return (flags & StatusFlags.F_CANFREE) != 0;
  }

  public boolean onCpu() {
    return (flags & StatusFlags.TASK_ONCPU) != 0;
  }

  public boolean runnable() {
    return (flags & StatusFlags.TASK_RUNNABLE) != 0;
  }

  public boolean isAgent() {
    return (flags & StatusFlags.TASK_IS_AGENT) != 0;
  }
}
