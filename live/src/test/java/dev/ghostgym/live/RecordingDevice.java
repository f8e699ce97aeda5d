package dev.ghostgym.live;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.ghostfs.RingProducer;
import dev.ghostgym.ghostfs.StatusWord;
import dev.ghostgym.ghostfs.StatusWordRegion;
import dev.ghostgym.ghostfs.StatusWordWriter;
import dev.ghostgym.ghostfs.TxnKernel;
import dev.ghostgym.ghostfs.TxnSlots;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link GhostDevice} for unit tests of {@link GhostPort}: it writes down every call in {@link
 * #calls} (COMMIT_TXN with the CPUs of its {@code cpu_set_t}, decoded bit by bit), leaves the txns
 * as the agent wrote them (the test completes them with {@link #kernel}), answers RUN and
 * ASSOC_QUEUE with what the test set, and knows the status words the test gave it.
 */
final class RecordingDevice implements GhostDevice {
  final List<String> calls = new ArrayList<>();
  final StatusWordWriter words =
      StatusWordWriter.format(ByteBuffer.allocateDirect(AbiConstants.SW_REGION_SIZE), 0, 0);
  final TxnSlots txns;
  final TxnKernel kernel;
  final Map<Long, Integer> taskWords = new HashMap<>();
  final Map<Integer, Integer> agentWords = new HashMap<>();
  RingProducer producer;
  int runAnswer;
  int assocAnswer;
  boolean checks;
  long now = 5_000;
  private final int cpus;

  RecordingDevice(int cpus) {
    this.cpus = cpus;
    this.txns = TxnSlots.format(ByteBuffer.allocateDirect(cpus * AbiConstants.CPU_DATA_STRIDE));
    this.kernel = new TxnKernel(txns);
  }

  /** Gives task {@code gtid} word {@code index} with {@code barrier} and {@code flags}. */
  void taskWord(long gtid, int index, int barrier, int flags) {
    words.write(index, new StatusWord(barrier, StatusFlags.F_INUSE | flags, gtid, 0, 0));
    taskWords.put(gtid, index);
  }

  long count(String prefix) {
    return calls.stream().filter(c -> c.startsWith(prefix)).count();
  }

  @Override
  public AbiVersion abi() {
    return AbiVersion.of(91);
  }

  @Override
  public int cpus() {
    return cpus;
  }

  @Override
  public int[] enclaveCpus() {
    int[] all = new int[cpus];
    for (int i = 0; i < cpus; i++) all[i] = i;
    return all;
  }

  @Override
  public StatusWordRegion statusWords() {
    return words.region();
  }

  @Override
  public TxnSlots txns() {
    return txns;
  }

  @Override
  public long now() {
    return now;
  }

  @Override
  public QueueMapping createQueue(int elems) {
    ByteBuffer mem = ByteBuffer.allocateDirect(AbiConstants.queueMapSize(64));
    RingProducer.format(mem, 64);
    producer = new RingProducer(mem, abi());
    calls.add("create queue");
    return new QueueMapping(5, mem);
  }

  @Override
  public void configQueueWakeup(int queueFd, int... wake) {
    calls.add("config queue wakeup " + queueFd);
  }

  @Override
  public void setDefaultQueue(int queueFd) {
    calls.add("set default queue " + queueFd);
  }

  @Override
  public int assocQueue(int queueFd, long gtid, int barrier) {
    calls.add("assoc " + gtid + " to " + queueFd + " at " + barrier);
    return assocAnswer;
  }

  @Override
  public SwInfo agentStatusWord(int cpu) {
    calls.add("sw info agent " + cpu);
    Integer i = agentWords.get(cpu);
    if (i == null)
      throw new dev.ghostgym.ghostfs.NativeException("ioctl", "SW_GET_INFO", AbiConstants.EINVAL);
    return new SwInfo(0, i);
  }

  @Override
  public SwInfo taskStatusWord(long gtid) {
    calls.add("sw info task " + gtid);
    Integer i = taskWords.get(gtid);
    return i == null ? null : new SwInfo(0, i);
  }

  @Override
  public void freeStatusWord(SwInfo sw) {
    calls.add("sw free " + sw.id() + " " + sw.index());
  }

  @Override
  public void commitTxn(byte[] cpuSet) {
    StringBuilder s = new StringBuilder("commit");
    for (int c = 0; c < cpuSet.length * 8; c++)
      if ((cpuSet[c >>> 3] & (1 << (c & 7))) != 0) s.append(' ').append(c);
    calls.add(s.toString());
  }

  @Override
  public int run(long gtid, int agentBarrier, int runCpu, int runFlags) {
    calls.add("run " + gtid + " " + agentBarrier + " " + runCpu + " " + runFlags);
    return runAnswer;
  }

  @Override
  public long cpuTime(long gtid) {
    return -1;
  }

  @Override
  public void timerfdSettime(int cpu, long atNs, long cookie) {
    calls.add("timer " + cpu + " " + atNs + " " + cookie);
  }

  @Override
  public void becomeAgent(int cpu, int queueFd) {
    calls.add("become agent " + cpu + " " + queueFd);
  }

  @Override
  public void discoverTasks() {
    calls.add("discover tasks");
  }

  @Override
  public boolean agentOnline() {
    return false;
  }

  @Override
  public void advertiseOnline() {}

  @Override
  public void withdrawOnline() {}

  @Override
  public void destroy() {}

  @Override
  public void close() {}

  @Override
  public boolean checksDelivered() {
    return checks;
  }

  @Override
  public void delivered(int queueFd, Message m) {
    calls.add("delivered " + m.type());
  }

  @Override
  public void pollAt(long atNs) {
    calls.add("poll at " + atNs);
  }

  @Override
  public void charge(long ns) {
    calls.add("charge " + ns);
  }
}
