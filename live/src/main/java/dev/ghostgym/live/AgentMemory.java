package dev.ghostgym.live;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.ghostfs.QueueRing;
import dev.ghostgym.ghostfs.StatusWordRegion;
import dev.ghostgym.ghostfs.TxnSlots;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jctools.maps.NonBlockingHashMapLong;

/**
 * What one agent process has mapped and learned, shared by its agents' {@link GhostPort}s: the
 * queue rings by fd, the status-word region with the index of every task's word (from TASK_NEW's
 * {@code sw_info}) and of every agent's word, and the txn slots. The agents of a process use it at
 * the same time without a lock: the rings are all added during setup, before the agent threads
 * start; the word indices are in a lock-free map and an atomic array.
 */
public final class AgentMemory {
  private final AbiVersion abi;
  private final StatusWordRegion words;
  private final TxnSlots txns;
  private QueueRing[] rings = new QueueRing[16];
  private final NonBlockingHashMapLong<Integer> taskWords = new NonBlockingHashMapLong<>();
  private final AtomicIntegerArray agentWords;
  // The boxed word indices the task map holds, made once per index: the kernel hands freed words
  // out again, so in steady state a new task's index is already boxed and TASK_NEW boxes nothing.
  // Filled racily: two agents may box the same index, and either box is right.
  private final Integer[] boxedIndex;

  public AgentMemory(AbiVersion abi, StatusWordRegion words, TxnSlots txns) {
    this.abi = abi;
    this.words = words;
    this.txns = txns;
    this.agentWords = new AtomicIntegerArray(txns.cpus());
    for (int i = 0; i < txns.cpus(); i++) agentWords.set(i, -1);
    this.boxedIndex = new Integer[Math.max(0, words.capacity())];
  }

  public AbiVersion abi() {
    return abi;
  }

  public StatusWordRegion words() {
    return words;
  }

  public TxnSlots txns() {
    return txns;
  }

  void addRing(int fd, QueueRing ring) {
    if (fd < 0) throw new IllegalArgumentException("queue fd must be >= 0, got " + fd);
    if (fd >= rings.length) rings = Arrays.copyOf(rings, Math.max(fd + 1, rings.length * 2));
    rings[fd] = ring;
  }

  QueueRing ring(int fd) {
    QueueRing r = fd >= 0 && fd < rings.length ? rings[fd] : null;
    if (r == null)
      throw new IllegalArgumentException(
          "queue: no queue with fd " + fd + " was created by this agent process");
    return r;
  }

  /** The word index of task {@code gtid}, or -1 if this process has not learned it. */
  int taskWord(long gtid) {
    Integer i = taskWords.get(gtid);
    return i == null ? -1 : i;
  }

  void learnTaskWord(long gtid, SwInfo sw) {
    learnTaskWord(gtid, sw.id(), sw.index());
  }

  void learnTaskWord(long gtid, int swId, int swIndex) {
    if (swId != words.id()) {
      throw new IllegalStateException(
          "task "
              + gtid
              + " has its status word in region "
              + swId
              + " but this agent process mapped region "
              + words.id()
              + " only");
    }
    taskWords.put(gtid, boxed(swIndex));
  }

  private Integer boxed(int index) {
    if (index < 0 || index >= boxedIndex.length) return index; // the region check is the kernel's
    Integer b = boxedIndex[index];
    if (b == null) boxedIndex[index] = b = index;
    return b;
  }

  void forgetTaskWord(long gtid) {
    taskWords.remove(gtid);
  }

  /** The gtids whose words this process knows, with the word indices (for the watchdog). */
  long[][] taskWordSnapshot() {
    long[] keys = taskWords.keySetLong();
    long[][] out = new long[2][keys.length];
    int n = 0;
    for (long k : keys) {
      Integer i = taskWords.get(k);
      if (i == null) continue; // forgotten meanwhile
      out[0][n] = k;
      out[1][n++] = i;
    }
    return n == keys.length
        ? out
        : new long[][] {Arrays.copyOf(out[0], n), Arrays.copyOf(out[1], n)};
  }

  int agentWord(int cpu) {
    return agentWords.get(cpu);
  }

  void learnAgentWord(int cpu, SwInfo sw) {
    if (sw.id() != words.id()) {
      throw new IllegalStateException(
          "the agent of CPU "
              + cpu
              + " has its status word in region "
              + sw.id()
              + " but this agent process mapped region "
              + words.id()
              + " only");
    }
    agentWords.set(cpu, sw.index());
  }

  void forgetAgentWord(int cpu) {
    agentWords.set(cpu, -1);
  }
}
