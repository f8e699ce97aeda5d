package dev.ghostgym.port;

import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.TxnState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kernel messages by type and txn outcomes by final state: what the simulator and the live runner
 * both report, counted the same way. Counting is an array increment (it sits on the hot path).
 */
public final class KernelCounts {
  private final long[] messages = new long[256];
  private final long[] txns = new long[TxnState.POISONED.code() - Integer.MIN_VALUE + 1];

  public void message(MessageType type) {
    messages[type.number()]++;
  }

  /** Counts a final txn state; READY and claimed states are not outcomes and are ignored. */
  public void txn(int stateCode) {
    long i = (long) stateCode - Integer.MIN_VALUE;
    if (i >= 0 && i < txns.length) txns[(int) i]++;
  }

  public long messagesTotal() {
    long n = 0;
    for (long m : messages) n += m;
    return n;
  }

  /** Message type name -> count, types seen only, in message-number order. */
  public Map<String, Long> messagesByType() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (MessageType t : MessageType.values())
      if (messages[t.number()] > 0) m.put(t.name(), messages[t.number()]);
    return m;
  }

  /** Final txn state name -> count, states seen only, COMPLETE first. */
  public Map<String, Long> txnOutcomes() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (TxnState s : TxnState.values()) {
      if (!s.isFinal()) continue;
      long n = txns[s.code() - Integer.MIN_VALUE];
      if (n > 0) m.put(s.name(), n);
    }
    return m;
  }
}
