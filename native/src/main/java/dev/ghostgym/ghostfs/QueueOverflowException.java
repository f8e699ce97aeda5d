package dev.ghostgym.ghostfs;

/**
 * The kernel found a queue full and dropped messages ({@code ghost_ring.overflow != 0}). The
 * agent's view of its tasks is then wrong for good, so, as in ghost-userspace, this is fatal: the
 * agent must exit and let a new one rediscover the tasks.
 */
public final class QueueOverflowException extends IllegalStateException {

  private final int dropped;

  public QueueOverflowException(int dropped, int nelems) {
    super(
        "ghOSt queue overflow: the kernel dropped "
            + Integer.toUnsignedString(dropped)
            + " message(s) because all "
            + nelems
            + " slots were full; the agent fell behind and its task"
            + " state is lost (fatal: restart the agent, or use a bigger queue)");
    this.dropped = dropped;
  }

  /** The {@code overflow} counter: how many messages were dropped. */
  public int dropped() {
    return dropped;
  }
}
