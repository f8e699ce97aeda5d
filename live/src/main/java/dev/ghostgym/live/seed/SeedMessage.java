package dev.ghostgym.live.seed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One metrics message of the seed scheduler (docs/KERNEL-MODEL.md 2.13) and its wire form: a
 * big-endian u32 count N, then N big-endian u64: {@code action_expected}, {@code callback_type},
 * the subject task's seven fields, and seven per task in its CPU's run queue (head first), so N = 2
 * + 7 x (1 + run-queue length).
 */
public record SeedMessage(
    boolean actionExpected, Callback callback, SeedTask task, List<SeedTask> runQueue) {
  /** More values than any run queue needs: a larger count is a framing error, not an allocation. */
  public static final int MAX_VALUES = 2 + SeedTask.FIELDS * (1 + 4096);

  public SeedMessage {
    runQueue = List.copyOf(runQueue);
  }

  /**
   * Reads one message from {@code in}; IOException on a short stream, IllegalArgumentException on
   * bad values.
   */
  public static SeedMessage read(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    long count = Integer.toUnsignedLong(d.readInt());
    if (count < 2 + SeedTask.FIELDS || count > MAX_VALUES || (count - 2) % SeedTask.FIELDS != 0) {
      throw new IllegalArgumentException(
          "metrics count is "
              + count
              + "; expected 2 + 7 x (1 + run-queue length),"
              + " at most "
              + MAX_VALUES);
    }
    long[] v = new long[(int) count];
    for (int i = 0; i < v.length; i++) {
      try {
        v[i] = d.readLong();
      } catch (EOFException e) {
        throw new EOFException("metrics ended after " + i + " of " + count + " values");
      }
    }
    return decode(v);
  }

  /** The message in {@code v} (the values after the count). */
  public static SeedMessage decode(long[] v) {
    boolean expected =
        switch ((int) v[0]) {
          case 0 -> false;
          case 1 -> true;
          default ->
              throw new IllegalArgumentException(
                  "action_expected is " + Long.toUnsignedString(v[0]) + "; expected 0 or 1");
        };
    Callback cb = Callback.of(v[1]);
    SeedTask task = task(v, 2);
    List<SeedTask> rq = new ArrayList<>();
    for (int at = 2 + SeedTask.FIELDS; at < v.length; at += SeedTask.FIELDS) rq.add(task(v, at));
    return new SeedMessage(expected, cb, task, rq);
  }

  private static SeedTask task(long[] v, int at) {
    long state = v[at];
    if (state < 0 || state > 3) {
      throw new IllegalArgumentException(
          "run_state is " + Long.toUnsignedString(state) + "; expected 0..3");
    }
    // An int cpu cast to u64: -1 (no CPU yet) arrives as 2^64-1, which is -1 as a Java long.
    long cpu = v[at + 1];
    if (cpu < -1 || cpu > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "cpu is " + Long.toUnsignedString(cpu) + "; expected a CPU id or 2^64-1 (none)");
    }
    return new SeedTask(
        (int) state, (int) cpu, v[at + 2] != 0, v[at + 3], v[at + 4], v[at + 5], v[at + 6]);
  }

  /** The wire form: count, then the values (what the seed scheduler sends). */
  public void write(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(2 + SeedTask.FIELDS * (1 + runQueue.size()));
    d.writeLong(actionExpected ? 1 : 0);
    d.writeLong(callback.ordinal());
    for (SeedTask t : prepend(task, runQueue)) {
      d.writeLong(t.runState());
      d.writeLong(t.cpu()); // -1 goes out as 2^64-1
      d.writeLong(t.preempted() ? 1 : 0);
      d.writeLong(t.utime());
      d.writeLong(t.stime());
      d.writeLong(t.guestTime());
      d.writeLong(t.vsize());
    }
    d.flush();
  }

  private static List<SeedTask> prepend(SeedTask t, List<SeedTask> rest) {
    List<SeedTask> all = new ArrayList<>(rest.size() + 1);
    all.add(t);
    all.addAll(rest);
    return all;
  }
}
