package dev.ghostgym.live.seed;

import java.util.ArrayList;
import java.util.List;

/**
 * The bridge's bounded history of non-actionable messages, kept in the order they were accepted.
 */
final class MessageHistory {
  private final int size;
  private final List<SeedMessage> history = new ArrayList<>();
  private final List<Long> historySeq = new ArrayList<>();

  MessageHistory(int size) {
    this.size = size;
  }

  // Workers finish in any order; the history stays in the order the connections were accepted.
  void keep(SeedMessage m, long seq) {
    synchronized (history) {
      int at = history.size();
      while (at > 0 && historySeq.get(at - 1) > seq) at--;
      history.add(at, m);
      historySeq.add(at, seq);
      while (history.size() > size) {
        history.remove(0);
        historySeq.remove(0);
      }
    }
  }

  /** The kept messages, oldest first. */
  List<SeedMessage> snapshot() {
    synchronized (history) {
      return new ArrayList<>(history);
    }
  }
}
