package dev.ghostgym.ghostfs;

/**
 * A queue created with GHOST_IOC_CREATE_QUEUE: its fd (used for ASSOC_QUEUE, SET_DEFAULT_QUEUE,
 * CONFIG_QUEUE_WAKEUP and {@code become agent}), its shared mapping and the consumer over it.
 * Closing it unmaps the ring and closes the fd, which drops the queue in the kernel.
 */
public final class Queue implements AutoCloseable {

  private final int fd;
  private final Mapping mapping;
  private final QueueRing ring;
  private boolean closed;

  Queue(int fd, Mapping mapping, QueueRing ring) {
    this.fd = fd;
    this.mapping = mapping;
    this.ring = ring;
  }

  public int fd() {
    return fd;
  }

  public QueueRing ring() {
    return ring;
  }

  public Mapping mapping() {
    return mapping;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        mapping.close();
      } finally {
        Sys.closeQuietly(fd);
      }
    }
  }
}
