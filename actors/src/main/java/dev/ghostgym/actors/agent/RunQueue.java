package dev.ghostgym.actors.agent;

import java.util.AbstractList;
import java.util.Arrays;

/**
 * An agent's run queue: a circular buffer with O(1) ends (the FIFO case) and indexed insert and
 * removal for policies that choose a position or pick from the middle. Policies see it as a
 * read-only {@code List}, head first.
 */
public final class RunQueue extends AbstractList<AgentTask> {
  private AgentTask[] items = new AgentTask[16];
  private int head;
  private int size;

  @Override
  public int size() {
    return size;
  }

  @Override
  public AgentTask get(int i) {
    if (i < 0 || i >= size)
      throw new IndexOutOfBoundsException("run queue index " + i + " of " + size);
    return items[(head + i) & (items.length - 1)];
  }

  public void addFirst(AgentTask t) {
    grow();
    head = (head - 1) & (items.length - 1);
    items[head] = t;
    size++;
  }

  public void addLast(AgentTask t) {
    grow();
    items[(head + size) & (items.length - 1)] = t;
    size++;
  }

  /** Inserts so that {@code t} ends up at index {@code pos} (0..size). */
  public void insert(int pos, AgentTask t) {
    if (pos < 0 || pos > size)
      throw new IndexOutOfBoundsException("insert position " + pos + " of " + size);
    if (pos == 0) {
      addFirst(t);
      return;
    }
    if (pos == size) {
      addLast(t);
      return;
    }
    grow();
    int mask = items.length - 1;
    for (int i = size; i > pos; i--) items[(head + i) & mask] = items[(head + i - 1) & mask];
    items[(head + pos) & mask] = t;
    size++;
  }

  public AgentTask pollFirst() {
    if (size == 0) return null;
    AgentTask t = items[head];
    items[head] = null;
    head = (head + 1) & (items.length - 1);
    size--;
    return t;
  }

  /** Removes and returns the task at {@code pos}. */
  public AgentTask take(int pos) {
    if (pos == 0) return pollFirst();
    AgentTask t = get(pos);
    int mask = items.length - 1;
    for (int i = pos; i < size - 1; i++) items[(head + i) & mask] = items[(head + i + 1) & mask];
    items[(head + size - 1) & mask] = null;
    size--;
    return t;
  }

  /** Removes {@code t} if present (by identity). */
  public boolean removeTask(AgentTask t) {
    for (int i = 0; i < size; i++) {
      if (get(i) == t) {
        take(i);
        return true;
      }
    }
    return false;
  }

  private void grow() {
    if (size < items.length) return;
    AgentTask[] bigger = new AgentTask[items.length * 2];
    for (int i = 0; i < size; i++) bigger[i] = get(i);
    items = bigger;
    head = 0;
  }

  @Override
  public String toString() {
    return "RunQueue" + Arrays.toString(toArray());
  }
}
