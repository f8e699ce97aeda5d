package dev.ghostgym.ghostfs;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * An mmapped region: its address, size and a direct ByteBuffer over it. The buffer is invalid after
 * {@link #close()} (munmap), so owners close a mapping only when nothing reads it any more.
 */
public final class Mapping implements AutoCloseable {

  private final Pointer address;
  private final long size;
  private final String file;
  private final ByteBuffer buffer;
  private boolean closed;

  Mapping(Pointer address, long size, String file) {
    this.address = address;
    this.size = size;
    this.file = file;
    this.buffer = address.getByteBuffer(0, size);
  }

  public ByteBuffer buffer() {
    return buffer;
  }

  public long size() {
    return size;
  }

  /** The file that was mapped. */
  public String file() {
    return file;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Sys.munmap(address, size, file);
    }
  }
}
