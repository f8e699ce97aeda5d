package dev.ghostgym.live.seed;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** Reads from a socket until an absolute deadline: each read waits at most the time left. */
final class DeadlineInputStream extends InputStream {
  private final Socket s;
  private final InputStream in;
  private final long deadline;

  DeadlineInputStream(Socket s, long deadline) throws IOException {
    this.s = s;
    this.in = s.getInputStream();
    this.deadline = deadline;
  }

  @Override
  public int read() throws IOException {
    byte[] b = new byte[1];
    return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) throw new SocketTimeoutException("read deadline passed");
    s.setSoTimeout((int) Math.max(1, (left + 999_999) / 1_000_000));
    return in.read(b, off, len);
  }
}
