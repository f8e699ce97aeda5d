package dev.ghostgym.sim;

import java.util.Arrays;

/**
 * The simulator's agenda: a binary min-heap of events ordered by time and then by insertion order,
 * so that events of one instant fire in the order they were scheduled and a run is reproducible.
 * Kept in parallel primitive arrays because the event loop is the hot path (millions of events per
 * second): no boxing, no per-event node objects.
 *
 * <p>Every event gets a handle so that it can be cancelled: a preempted task's burst end is removed
 * instead of left behind. Without that, a long task preempted a hundred times (as a 5 ms scan is
 * under per-CPU FIFO) leaves a hundred dead events in the heap and every operation pays for them.
 */
final class EventQueue {
  static final int NONE = -1;

  private long[] time = new long[256];
  private long[] seq = new long[256];
  private int[] kind = new int[256];
  private long[] arg = new long[256];
  private Object[] ref = new Object[256];
  private int[] handleAt = new int[256]; // heap slot -> handle
  private int[] slotOf = new int[256]; // handle -> heap slot, or NONE when free
  private int[] freeHandles = new int[256];
  private int freeCount;
  private int handles;
  private int size;
  private long nextSeq;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Schedules an event and returns its handle (valid until it fires or is cancelled). */
  int add(long t, int k, Object r, long a) {
    if (size == time.length) grow();
    int h = newHandle();
    int i = size++;
    long s = nextSeq++;
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (less(time[p], seq[p], t, s)) break;
      move(p, i);
      i = p;
    }
    set(i, t, s, k, r, a, h);
    return h;
  }

  long peekTime() {
    return time[0];
  }

  int peekKind() {
    return kind[0];
  }

  Object peekRef() {
    return ref[0];
  }

  long peekArg() {
    return arg[0];
  }

  /** Removes the head; read it with the peek methods first. */
  void poll() {
    removeAt(0);
  }

  /** Cancels a pending event; a handle that already fired or was cancelled is ignored. */
  void cancel(int handle) {
    if (handle < 0 || handle >= handles) return;
    int slot = slotOf[handle];
    if (slot != NONE) removeAt(slot);
  }

  private void removeAt(int slot) {
    int gone = handleAt[slot];
    slotOf[gone] = NONE;
    freeHandles[freeCount++] = gone;
    int last = --size;
    if (slot == last) {
      ref[last] = null;
      return;
    }
    long t = time[last], s = seq[last];
    int k = kind[last], h = handleAt[last];
    Object r = ref[last];
    long a = arg[last];
    ref[last] = null;
    int i = slot;
    // The moved element may belong above the hole (when cancelling mid-heap) or below it.
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (less(time[p], seq[p], t, s)) break;
      move(p, i);
      i = p;
    }
    if (i == slot) {
      int half = size >>> 1;
      while (i < half) {
        int c = 2 * i + 1;
        int rgt = c + 1;
        if (rgt < size && less(time[rgt], seq[rgt], time[c], seq[c])) c = rgt;
        if (less(t, s, time[c], seq[c])) break;
        move(c, i);
        i = c;
      }
    }
    set(i, t, s, k, r, a, h);
  }

  private int newHandle() {
    if (freeCount > 0) return freeHandles[--freeCount];
    if (handles == slotOf.length) {
      slotOf = Arrays.copyOf(slotOf, handles * 2);
      freeHandles = Arrays.copyOf(freeHandles, handles * 2);
    }
    return handles++;
  }

  private static boolean less(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }

  private void set(int i, long t, long s, int k, Object r, long a, int h) {
    time[i] = t;
    seq[i] = s;
    kind[i] = k;
    ref[i] = r;
    arg[i] = a;
    handleAt[i] = h;
    slotOf[h] = i;
  }

  private void move(int from, int to) {
    time[to] = time[from];
    seq[to] = seq[from];
    kind[to] = kind[from];
    ref[to] = ref[from];
    arg[to] = arg[from];
    int h = handleAt[from];
    handleAt[to] = h;
    slotOf[h] = to;
  }

  private void grow() {
    int n = time.length * 2;
    time = Arrays.copyOf(time, n);
    seq = Arrays.copyOf(seq, n);
    kind = Arrays.copyOf(kind, n);
    arg = Arrays.copyOf(arg, n);
    ref = Arrays.copyOf(ref, n);
    handleAt = Arrays.copyOf(handleAt, n);
  }
}
