package dev.ghostgym.bench;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.ghostfs.RingProducer;
import dev.ghostgym.ghostfs.StatusWord;
import dev.ghostgym.ghostfs.StatusWordRegion;
import dev.ghostgym.ghostfs.StatusWordWriter;
import dev.ghostgym.ghostfs.TxnKernel;
import dev.ghostgym.ghostfs.TxnSlots;
import dev.ghostgym.live.GhostDevice;
import java.nio.ByteBuffer;

/**
 * The kernel side of {@link LiveAgentPathBench}: {@code cpus} CPUs, one queue whose ring the bench
 * fills, every COMMIT_TXN completed at once, and nothing allocated by any call the agents make on
 * their hot path (so {@code -prof gc} sees the agents' bytes only). Status word 0 is every agent's
 * (CPU_AVAIL); task words 1.. have barrier 1, the seqnum of every message the bench writes, so the
 * centralized agent's barrier check passes. Calls the agents do not make here do nothing.
 */
final class LiveBenchDevice implements GhostDevice {
  private final AbiVersion abi = AbiVersion.of(91);
  private final int cpus;
  private final StatusWordWriter words =
      StatusWordWriter.format(ByteBuffer.allocateDirect(AbiConstants.SW_REGION_SIZE), 0, 0);
  private final TxnSlots txns;
  private final TxnKernel kernel;
  private final long[] onCpu;
  RingProducer producer;
  private long now;

  LiveBenchDevice(int cpus, int taskWords) {
    this.cpus = cpus;
    this.txns = TxnSlots.format(ByteBuffer.allocateDirect(cpus * AbiConstants.CPU_DATA_STRIDE));
    this.kernel = new TxnKernel(txns);
    this.onCpu = new long[cpus];
    words.write(0, new StatusWord(0, StatusFlags.F_INUSE | StatusFlags.CPU_AVAIL, 0, 0, 0));
    for (int i = 1; i <= taskWords; i++)
      words.write(i, new StatusWord(1, StatusFlags.F_INUSE, i, 0, 0));
  }

  /** The task the last completed commit put on {@code cpu}. */
  long onCpu(int cpu) {
    return onCpu[cpu];
  }

  @Override
  public AbiVersion abi() {
    return abi;
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
    return now += 1_000;
  }

  @Override
  public QueueMapping createQueue(int elems) {
    int nelems = 1024;
    ByteBuffer mem = ByteBuffer.allocateDirect(AbiConstants.queueMapSize(nelems));
    RingProducer.format(mem, nelems);
    producer = new RingProducer(mem, abi);
    return new QueueMapping(3, mem);
  }

  @Override
  public void configQueueWakeup(int queueFd, int... wake) {}

  @Override
  public void setDefaultQueue(int queueFd) {}

  @Override
  public int assocQueue(int queueFd, long gtid, int barrier) {
    return 0;
  }

  @Override
  public SwInfo agentStatusWord(int cpu) {
    return new SwInfo(0, 0);
  }

  @Override
  public SwInfo taskStatusWord(long gtid) {
    throw new IllegalStateException("every task's word comes with its TASK_NEW here");
  }

  @Override
  public void freeStatusWord(SwInfo sw) {}

  @Override
  public void commitTxn(byte[] cpuSet) {
    for (int c = 0; c < cpus; c++) {
      if ((cpuSet[c >>> 3] & (1 << (c & 7))) == 0 || !kernel.claim(c, c)) continue;
      onCpu[c] = txns.gtid(c);
      kernel.complete(c, TxnState.COMPLETE, now, 0);
    }
  }

  @Override
  public int run(long gtid, int agentBarrier, int runCpu, int runFlags) {
    return 0;
  }

  @Override
  public long cpuTime(long gtid) {
    return 0;
  }

  @Override
  public void timerfdSettime(int cpu, long atNs, long cookie) {}

  @Override
  public void becomeAgent(int cpu, int queueFd) {}

  @Override
  public void discoverTasks() {}

  @Override
  public boolean agentOnline() {
    return true;
  }

  @Override
  public void advertiseOnline() {}

  @Override
  public void withdrawOnline() {}

  @Override
  public void destroy() {}

  @Override
  public void close() {}
}
