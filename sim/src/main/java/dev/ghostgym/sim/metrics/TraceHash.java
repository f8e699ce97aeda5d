package dev.ghostgym.sim.metrics;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over the run's full event trace (every message, txn outcome and context switch, with
 * its time). Two runs are the same run exactly when their hashes are equal, which is how
 * determinism, and later actor/plain and sim/replay parity, are checked. Records are packed into a
 * buffer and digested in blocks, so hashing costs a few ns per record.
 */
public final class TraceHash {
  private final MessageDigest digest;
  private final byte[] buf = new byte[1 << 14];
  private int pos;
  private long records;

  public TraceHash() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Adds one trace record: an event kind and four numbers. */
  public void record(int kind, long a, long b, long c, long d) {
    if (pos + 36 > buf.length) flush();
    putInt(kind);
    putLong(a);
    putLong(b);
    putLong(c);
    putLong(d);
    records++;
  }

  public long records() { return records; }

  /** The hash of everything recorded so far, in lower-case hex. Ends the trace. */
  public String hex() {
    flush();
    return HexFormat.of().formatHex(digest.digest());
  }

  private void flush() {
    digest.update(buf, 0, pos);
    pos = 0;
  }

  private void putInt(int v) {
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void putLong(long v) {
    for (int s = 56; s >= 0; s -= 8) buf[pos++] = (byte) (v >>> s);
  }
}
