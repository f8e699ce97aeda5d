package dev.ghostgym.emulation;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.ghostfs.StatusWord;
import dev.ghostgym.ghostfs.StatusWordRegion;
import dev.ghostgym.ghostfs.StatusWordWriter;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.port.LongMap;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The emulated kernel's status-word region 0: a 2 MiB buffer in the real layout, a word per agent
 * and per task the agents meet, allocated from a free list (so indices stay small while gtids grow)
 * and mirrored from the simulated machine: barrier and flags, written in the kernel's order (flags,
 * then barrier, both with release).
 */
final class StatusWordMirror {
  static final int REGION_ID = 0;

  private final StatusWordWriter sw;
  private final StatusWordRegion view;
  private final LongMap<Integer> taskWord = new LongMap<>();
  private final long[] wordGtid;
  private int[] active = new int[64]; // task words in use, unordered
  private final int[] activePos; // word index -> position in active, or -1
  private int activeCount;
  private final int[] free; // free word indices, a stack, lowest on top
  private int freeCount;
  private final int[] agentWord;

  StatusWordMirror(int cpus) {
    sw =
        StatusWordWriter.format(
            ByteBuffer.allocateDirect(AbiConstants.SW_REGION_SIZE), REGION_ID, 0);
    view = sw.region();
    int cap = view.capacity();
    wordGtid = new long[cap];
    activePos = new int[cap];
    Arrays.fill(activePos, -1);
    free = new int[cap];
    for (int i = 0; i < cap; i++) free[i] = cap - 1 - i;
    freeCount = cap;
    agentWord = new int[cpus];
    Arrays.fill(agentWord, -1);
  }

  StatusWordRegion region() {
    return view;
  }

  /** The word of task {@code gtid}, or -1. */
  int taskWord(long gtid) {
    Integer i = taskWord.get(gtid);
    return i == null ? -1 : i;
  }

  /** The task owning word {@code index}, or 0 if the word is free or an agent's. */
  long gtidAt(int index) {
    return index >= 0 && index < wordGtid.length ? wordGtid[index] : 0;
  }

  /** The word of the agent of {@code cpu}, or -1. */
  int agentWord(int cpu) {
    return cpu >= 0 && cpu < agentWord.length ? agentWord[cpu] : -1;
  }

  /** Gives the agent of {@code cpu} a word if it has none (one per CPU, kept across agents). */
  void allocAgent(int cpu) {
    if (agentWord[cpu] >= 0) return;
    int i = take();
    agentWord[cpu] = i;
    sw.write(
        i,
        new StatusWord(
            0,
            StatusFlags.F_INUSE | StatusFlags.F_ALLOCATED | StatusFlags.TASK_IS_AGENT,
            -1,
            0,
            0));
  }

  /** Gives task {@code gtid} a word, filled from {@code k}. */
  int allocTask(long gtid, KernelPort k) {
    int i = take();
    taskWord.put(gtid, i);
    wordGtid[i] = gtid;
    if (activeCount == active.length) active = Arrays.copyOf(active, activeCount * 2);
    activePos[i] = activeCount;
    active[activeCount++] = i;
    sw.write(
        i,
        new StatusWord(
            k.taskBarrier(gtid),
            StatusFlags.F_ALLOCATED | k.taskFlags(gtid),
            gtid,
            0,
            Math.max(0, k.taskRuntime(gtid))));
    return i;
  }

  private int take() {
    if (freeCount == 0)
      throw new IllegalStateException(
          "emulated status-word region is full (" + view.capacity() + " words)");
    int i = free[--freeCount];
    sw.setAvailable(freeCount);
    return i;
  }

  /** Frees task word {@code index} (SW_FREE). */
  void release(int index) {
    taskWord.remove(wordGtid[index]);
    wordGtid[index] = 0;
    int pos = activePos[index];
    int last = active[--activeCount];
    active[pos] = last;
    activePos[last] = pos;
    activePos[index] = -1;
    sw.write(index, new StatusWord(0, 0, 0, 0, 0));
    free[freeCount++] = index;
    sw.setAvailable(freeCount);
  }

  void syncAgents(KernelPort k) {
    for (int c = 0; c < agentWord.length; c++) {
      int i = agentWord[c];
      if (i < 0) continue;
      sw.setFlags(
          i,
          StatusFlags.F_INUSE
              | StatusFlags.F_ALLOCATED
              | StatusFlags.TASK_IS_AGENT
              | k.agentFlags(c));
      sw.setBarrier(i, k.agentBarrier(c));
    }
  }

  void syncTasks(KernelPort k) {
    for (int n = 0; n < activeCount; n++) {
      int i = active[n];
      long gtid = wordGtid[i];
      sw.setFlags(i, StatusFlags.F_ALLOCATED | k.taskFlags(gtid));
      sw.setBarrier(i, k.taskBarrier(gtid));
    }
  }
}
