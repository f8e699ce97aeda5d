package dev.ghostgym.cluster;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One env's info as the learner sees it, read straight from the columns of a {@link StepResults}
 * instead of copied into a map per env: the action mask first (as {@code boolean[]}), then the
 * number keys the env has (as Double), then its text keys, in the columns' (sorted) order. A
 * learner that reads one key (the mask) pays for that key only. Read-only.
 */
final class ColumnInfo extends AbstractMap<String, Object> {
  private final StepResults columns;
  private final int k;
  private final boolean[] mask;
  private List<Entry<String, Object>> entries;

  ColumnInfo(StepResults columns, int k, boolean[] mask) {
    this.columns = columns;
    this.k = k;
    this.mask = mask;
  }

  @Override
  public Object get(Object key) {
    if (Wire.ACTION_MASK.equals(key)) return mask;
    String[] nk = columns.numberKeys();
    for (int j = 0; j < nk.length; j++) if (nk[j].equals(key)) return columns.number(k, j);
    String[] tk = columns.textKeys();
    for (int j = 0; j < tk.length; j++) if (tk[j].equals(key)) return columns.text(k, j);
    return null;
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null; // no key is ever mapped to null
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    if (entries == null) {
      List<Entry<String, Object>> e = new ArrayList<>();
      if (mask != null) e.add(new SimpleImmutableEntry<>(Wire.ACTION_MASK, mask));
      String[] nk = columns.numberKeys();
      for (int j = 0; j < nk.length; j++) {
        Double v = columns.number(k, j);
        if (v != null) e.add(new SimpleImmutableEntry<>(nk[j], v));
      }
      String[] tk = columns.textKeys();
      for (int j = 0; j < tk.length; j++) {
        String v = columns.text(k, j);
        if (v != null) e.add(new SimpleImmutableEntry<>(tk[j], v));
      }
      entries = java.util.Collections.unmodifiableList(e);
    }
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return entries.iterator();
      }

      @Override
      public int size() {
        return entries.size();
      }
    };
  }
}
