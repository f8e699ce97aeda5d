package dev.ghostgym.ghostfs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian views of a ByteBuffer at absolute byte offsets, whatever the buffer's own byte
 * order. Plain get/set work at any offset (ring payloads are only 4-byte aligned); acquire/release
 * and CAS need a naturally aligned offset in a direct buffer, which every ordered field of ghOSt's
 * shared memory has (ring indices, status-word barrier and flags, txn state).
 */
final class Le {

  static final VarHandle SHORT =
      MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Le() {}

  static int u8(ByteBuffer b, int at) {
    return b.get(at) & 0xff;
  }

  static int u16(ByteBuffer b, int at) {
    return (short) SHORT.get(b, at) & 0xffff;
  }

  static int i32(ByteBuffer b, int at) {
    return (int) INT.get(b, at);
  }

  static long i64(ByteBuffer b, int at) {
    return (long) LONG.get(b, at);
  }

  static void put8(ByteBuffer b, int at, int v) {
    b.put(at, (byte) v);
  }

  static void put16(ByteBuffer b, int at, int v) {
    SHORT.set(b, at, (short) v);
  }

  static void put32(ByteBuffer b, int at, int v) {
    INT.set(b, at, v);
  }

  static void put64(ByteBuffer b, int at, long v) {
    LONG.set(b, at, v);
  }

  static int i32Acquire(ByteBuffer b, int at) {
    return (int) INT.getAcquire(b, at);
  }

  static void put32Release(ByteBuffer b, int at, int v) {
    INT.setRelease(b, at, v);
  }

  static boolean cas32(ByteBuffer b, int at, int expected, int value) {
    return INT.compareAndSet(b, at, expected, value);
  }

  /** Zeroes {@code n} bytes from {@code at}. */
  static void zero(ByteBuffer b, int at, int n) {
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      LONG.set(b, at + i, 0L);
    }
    for (; i < n; i++) {
      b.put(at + i, (byte) 0);
    }
  }
}
