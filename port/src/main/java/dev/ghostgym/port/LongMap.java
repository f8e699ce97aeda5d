package dev.ghostgym.port;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A map from long keys (gtids) to objects with open addressing and no boxing: gtid lookups happen
 * several times per kernel message, and a {@code HashMap<Long, V>} allocates a Long for each. Key 0
 * (Gtid.NULL) cannot be stored.
 */
public final class LongMap<V> {
  private long[] keys = new long[64];
  private Object[] vals = new Object[64];
  private int size;

  public int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  public V get(long key) {
    int mask = keys.length - 1;
    int i = index(key, mask);
    while (true) {
      long k = keys[i];
      if (k == key) return (V) vals[i];
      if (k == 0) return null;
      i = (i + 1) & mask;
    }
  }

  public void put(long key, V value) {
    if (key == 0) throw new IllegalArgumentException("LongMap key 0 is reserved");
    if (2 * (size + 1) > keys.length) rehash(keys.length * 2);
    int mask = keys.length - 1;
    int i = index(key, mask);
    while (keys[i] != 0 && keys[i] != key) i = (i + 1) & mask;
    if (keys[i] == 0) size++;
    keys[i] = key;
    vals[i] = value;
  }

  @SuppressWarnings("unchecked")
  public V remove(long key) {
    int mask = keys.length - 1;
    int i = index(key, mask);
    while (keys[i] != key) {
      if (keys[i] == 0) return null;
      i = (i + 1) & mask;
    }
    V old = (V) vals[i];
    // Backward-shift deletion keeps probe chains intact without tombstones.
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (keys[j] == 0) break;
      int home = index(keys[j], mask);
      boolean between = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (!between) {
        keys[hole] = keys[j];
        vals[hole] = vals[j];
        hole = j;
      }
    }
    keys[hole] = 0;
    vals[hole] = null;
    size--;
    return old;
  }

  public boolean containsKey(long key) {
    return get(key) != null;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The values, in table order (a copy; sort it if order matters). */
  @SuppressWarnings("unchecked")
  public List<V> values() {
    List<V> out = new ArrayList<>(size);
    for (int i = 0; i < keys.length; i++) if (keys[i] != 0) out.add((V) vals[i]);
    return out;
  }

  /** The keys, ascending (a copy, for diagnostics). */
  public List<Long> keySet() {
    return Arrays.stream(keys).filter(k -> k != 0).sorted().boxed().toList();
  }

  /** Visits every value (in table order: sort first if order matters). */
  @SuppressWarnings("unchecked")
  public void forEachValue(Consumer<V> action) {
    for (int i = 0; i < keys.length; i++) if (keys[i] != 0) action.accept((V) vals[i]);
  }

  private void rehash(int capacity) {
    long[] oldKeys = keys;
    Object[] oldVals = vals;
    keys = new long[capacity];
    vals = new Object[capacity];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        @SuppressWarnings("unchecked")
        V v = (V) oldVals[i];
        put(oldKeys[i], v);
      }
    }
  }

  private static int index(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  @Override
  public String toString() {
    return "LongMap("
        + size
        + " of "
        + keys.length
        + ", keys "
        + Arrays.stream(keys).filter(k -> k != 0).limit(8).boxed().toList()
        + ")";
  }
}
