package dev.ghostgym.sim;

import java.util.Arrays;

/**
 * The simulator's agenda: a binary min-heap of events ordered by time and then by insertion
 * order, so that events of one instant fire in the order they were scheduled and a run is
 * reproducible. Kept in parallel primitive arrays because the event loop is the hot path
 * (millions of events per second): no boxing, no per-event node objects.
 */
final class EventQueue {
  private long[] time = new long[1024];
  private long[] seq = new long[1024];
  private int[] kind = new int[1024];
  private long[] arg = new long[1024];
  private Object[] ref = new Object[1024];
  private int size;
  private long nextSeq;

  int size() { return size; }

  boolean isEmpty() { return size == 0; }

  void add(long t, int k, Object r, long a) {
    if (size == time.length) grow();
    int i = size++;
    long s = nextSeq++;
    // sift up
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (less(time[p], seq[p], t, s)) break;
      move(p, i);
      i = p;
    }
    time[i] = t; seq[i] = s; kind[i] = k; ref[i] = r; arg[i] = a;
  }

  long peekTime() { return time[0]; }

  int peekKind() { return kind[0]; }

  Object peekRef() { return ref[0]; }

  long peekArg() { return arg[0]; }

  /** Removes the head; read it with the peek methods first. */
  void poll() {
    int last = --size;
    long t = time[last], s = seq[last];
    int k = kind[last];
    Object r = ref[last];
    long a = arg[last];
    ref[last] = null;
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int c = 2 * i + 1;
      int rgt = c + 1;
      if (rgt < size && less(time[rgt], seq[rgt], time[c], seq[c])) c = rgt;
      if (less(t, s, time[c], seq[c])) break;
      move(c, i);
      i = c;
    }
    if (size > 0) {
      time[i] = t; seq[i] = s; kind[i] = k; ref[i] = r; arg[i] = a;
    }
  }

  private static boolean less(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }

  private void move(int from, int to) {
    time[to] = time[from]; seq[to] = seq[from]; kind[to] = kind[from];
    ref[to] = ref[from]; arg[to] = arg[from];
  }

  private void grow() {
    int n = time.length * 2;
    time = Arrays.copyOf(time, n);
    seq = Arrays.copyOf(seq, n);
    kind = Arrays.copyOf(kind, n);
    arg = Arrays.copyOf(arg, n);
    ref = Arrays.copyOf(ref, n);
  }
}
