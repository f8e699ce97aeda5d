package dev.ghostgym.live;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.MessageView;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.ghostfs.QueueRing;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.port.Oracle;
import dev.ghostgym.port.PrioTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The kernel as the agent of one CPU reaches it on a real ghOSt machine: barriers and flags are
 * read from the status-word region, messages are decoded from the queue rings, txns are written
 * into {@code cpu_data}, and everything else is an ioctl or a ghostfs command on a {@link
 * GhostDevice}. The same agents ({@code PerCpuAgents}, {@code CentralizedAgents}) run against it as
 * against the simulator.
 *
 * <p>As in the simulator, commits and the RUN yield of a pass take effect when the pass is done:
 * {@link #commit} and {@link #yield} are recorded and {@link #finishPass()} issues them (one
 * COMMIT_TXN for all the pass's txns, a group commit). A successful local commit blocks the agent
 * thread until the agent runs again, so no lock may be held while it does; {@link LiveEnclave}'s
 * loop is {@link #beginPass()}, {@code activate}, finishPass, and takes no lock shared between
 * agents. A port belongs to one agent thread.
 *
 * <p>The setup port of an agent process ({@link #forSetup}) records {@code become agent} and {@code
 * discover tasks} instead of doing them, because a thread becomes the agent of the CPU it runs on:
 * the agent threads do it themselves, and discovery comes after them.
 */
public final class GhostPort implements KernelPort {
  private final int cpu;
  private final GhostDevice dev;
  private final AgentMemory mem;
  private final Oracle oracle;
  private final PortListener listener;
  private final boolean deferAgents;

  private final byte[] cpuSet = new byte[AbiConstants.CPU_SET_SIZE];
  private int[] committed = new int[4];
  private int committedCount;
  private boolean yieldRequested;
  private int yieldBarrier;
  private int yieldFlags;
  private final long[] openedGtid;
  private int[] awaiting = new int[4];
  private long[] awaitingGtid = new long[4];
  private int awaitingCount;

  private final List<int[]> agentRequests = new ArrayList<>();
  private boolean discoverRequested;
  private int defaultQueue = -1;
  private long unknownWords;
  private long failedPings;
  private PrioTable prioTable = PrioTable.NONE;

  /**
   * The port of the agent on {@code cpu} (-1 for a setup thread whose calls go straight to the
   * kernel). {@code oracle} is null on a real kernel (only a simulator knows true service times).
   */
  public GhostPort(
      int cpu, GhostDevice dev, AgentMemory mem, Oracle oracle, PortListener listener) {
    this(cpu, dev, mem, oracle, listener, false);
  }

  private GhostPort(
      int cpu,
      GhostDevice dev,
      AgentMemory mem,
      Oracle oracle,
      PortListener listener,
      boolean deferAgents) {
    this.cpu = cpu;
    this.dev = dev;
    this.mem = mem;
    this.oracle = oracle;
    this.listener = listener == null ? PortListener.NONE : listener;
    this.deferAgents = deferAgents;
    this.openedGtid = new long[mem.txns().cpus()];
  }

  /**
   * The setup port of an agent process: {@code become agent} and {@code discover tasks} are
   * recorded.
   */
  public static GhostPort forSetup(GhostDevice dev, AgentMemory mem, PortListener listener) {
    return new GhostPort(-1, dev, mem, null, listener, true);
  }

  public int cpu() {
    return cpu;
  }

  /** Reads hints from the application's PrioTable (see {@link PrioTableLink}). */
  void prioTable(PrioTable table) {
    this.prioTable = table;
  }

  @Override
  public PrioTable prioTable() {
    return prioTable;
  }

  /** {@code {cpu, queue fd}} of every {@code become agent} the setup recorded, in call order. */
  public List<int[]> agentRequests() {
    return List.copyOf(agentRequests);
  }

  /** True if the setup asked for {@code discover tasks}. */
  public boolean discoverRequested() {
    return discoverRequested;
  }

  /** The queue last made the default queue through this port, or -1. */
  public int defaultQueue() {
    return defaultQueue;
  }

  // --- pass boundaries --------------------------------------------------------------------------

  /** Before a pass: reports the outcome of the txns committed in earlier passes that have ended. */
  public void beginPass() {
    if (awaitingCount == 0) return;
    int kept = 0;
    for (int i = 0; i < awaitingCount; i++) {
      int c = awaiting[i];
      int state = mem.txns().state(c);
      if (state < 0) {
        listener.txn(c, awaitingGtid[i], state, mem.txns().commitTime(c));
      } else {
        awaiting[kept] = c;
        awaitingGtid[kept++] = awaitingGtid[i];
      }
    }
    awaitingCount = kept;
  }

  /**
   * After a pass: one COMMIT_TXN for the txns it committed, then its RUN yield if it asked for one.
   */
  public void finishPass() {
    boolean local = false;
    if (committedCount > 0) {
      dev.commitTxn(cpuSet);
      for (int i = 0; i < committedCount; i++) {
        int c = committed[i];
        cpuSet[c >>> 3] = 0;
        local |= c == cpu;
        await(c, openedGtid[c]);
      }
      committedCount = 0;
    }
    if (yieldRequested) {
      yieldRequested = false;
      // After a successful local commit the agent was switched out and has run again: no yield.
      if (local && mem.txns().state(cpu) == TxnState.COMPLETE.code()) return;
      int r = dev.run(Gtid.NULL, yieldBarrier, cpu, yieldFlags);
      if (r < 0 && r != -AbiConstants.ESTALE) {
        throw new IllegalStateException("run (yield) on CPU " + cpu + " failed: errno " + -r);
      }
    }
  }

  private void await(int c, long gtid) {
    if (listener == PortListener.NONE) return;
    if (awaitingCount == awaiting.length) {
      awaiting = Arrays.copyOf(awaiting, awaitingCount * 2);
      awaitingGtid = Arrays.copyOf(awaitingGtid, awaitingCount * 2);
    }
    awaiting[awaitingCount] = c;
    awaitingGtid[awaitingCount++] = gtid;
  }

  // --- KernelPort
  // ---------------------------------------------------------------------------------

  @Override
  public long now() {
    return dev.now();
  }

  @Override
  public int cpus() {
    return dev.cpus();
  }

  @Override
  public int[] enclaveCpus() {
    return dev.enclaveCpus().clone();
  }

  @Override
  public int createQueue(int elems) {
    GhostDevice.QueueMapping q = dev.createQueue(elems);
    mem.addRing(q.fd(), new QueueRing(q.memory(), mem.abi()));
    return q.fd();
  }

  @Override
  public void configQueueWakeup(int queue, int... cpus) {
    dev.configQueueWakeup(queue, cpus);
  }

  @Override
  public void setDefaultQueue(int queue) {
    dev.setDefaultQueue(queue);
    defaultQueue = queue;
  }

  @Override
  public void becomeAgent(int agentCpu, int queue) {
    mem.forgetAgentWord(agentCpu); // a new agent thread has a new status word
    if (deferAgents) {
      agentRequests.add(new int[] {agentCpu, queue});
    } else {
      dev.becomeAgent(agentCpu, queue);
    }
  }

  @Override
  public int agentBarrier(int c) {
    int i = agentWord(c);
    return i < 0 ? 0 : mem.words().barrier(i);
  }

  @Override
  public int agentFlags(int c) {
    int i = agentWord(c);
    return i < 0 ? 0 : mem.words().flags(i);
  }

  // A word the kernel will not name yet (no agent on that CPU: EINVAL/ENODEV) is not fatal: barrier
  // and flags read as 0 (a commit with it fails as stale, as in C++), and it is asked again next
  // time.
  private int agentWord(int c) {
    int i = mem.agentWord(c);
    if (i < 0) {
      try {
        mem.learnAgentWord(c, dev.agentStatusWord(c));
      } catch (dev.ghostgym.ghostfs.NativeException e) {
        unknownWords++;
        return -1;
      }
      i = mem.agentWord(c);
    }
    return i;
  }

  /** Agent status words asked for and not (yet) given by the kernel. */
  public long unknownWords() {
    return unknownWords;
  }

  /** Pings that failed (tolerated, as Agent::Ping's result is in C++). */
  public long failedPings() {
    return failedPings;
  }

  @Override
  public int taskBarrier(long gtid) {
    int i = taskWord(gtid);
    return i < 0 ? -1 : mem.words().barrier(i);
  }

  @Override
  public int taskFlags(long gtid) {
    int i = taskWord(gtid);
    return i < 0 ? 0 : mem.words().flags(i);
  }

  private int taskWord(long gtid) {
    int i = mem.taskWord(gtid);
    if (i >= 0) return i;
    SwInfo sw = dev.taskStatusWord(gtid);
    if (sw == null) return -1;
    mem.learnTaskWord(gtid, sw);
    return sw.index();
  }

  @Override
  public long taskRuntime(long gtid) {
    return dev.cpuTime(gtid);
  }

  @Override
  public java.util.BitSet taskAffinity(long gtid) {
    return dev.taskAffinity(gtid);
  }

  @Override
  public int spareAgentCpu() {
    return dev.spareAgentCpu();
  }

  @Override
  public Message poll(int queue) {
    QueueRing ring = mem.ring(queue);
    Message m = ring.poll();
    if (m == null) {
      if (!dev.pump(queue)) return null;
      m = ring.poll();
      if (m == null)
        throw new IllegalStateException(
            "queue " + queue + ": the kernel produced a message but the ring is empty");
    }
    if (m.type() == MessageType.TASK_NEW)
      mem.learnTaskWord(m.gtid(), ((TaskNew) m.payload()).swInfo());
    dev.delivered(queue, m);
    if (listener != PortListener.NONE) listener.message(cpu, m, dev.now());
    return m;
  }

  /**
   * {@inheritDoc} Task messages are decoded straight from the ring into {@code into}, allocating
   * nothing; a device that checks what it wrote ({@link GhostDevice#checksDelivered}, the emulated
   * kernel) gets the records {@link #poll} decodes.
   */
  @Override
  public boolean pollInto(int queue, MessageView into) {
    if (dev.checksDelivered() || listener.wantsRecords())
      return KernelPort.super.pollInto(queue, into);
    QueueRing ring = mem.ring(queue);
    if (!ring.pollInto(into)) {
      if (!dev.pump(queue)) return false;
      if (!ring.pollInto(into))
        throw new IllegalStateException(
            "queue " + queue + ": the kernel produced a message but the ring is empty");
    }
    if (into.type() == MessageType.TASK_NEW)
      mem.learnTaskWord(into.gtid(), into.swId(), into.swIndex());
    if (listener != PortListener.NONE) listener.message(cpu, into, dev.now());
    return true;
  }

  @Override
  public int assocQueue(long gtid, int queue, int barrier) {
    return dev.assocQueue(queue, gtid, barrier);
  }

  @Override
  public void openTxn(
      int c, long gtid, int agentBarrier, int taskBarrier, int runFlags, int commitFlags) {
    mem.txns().open(c, gtid, agentBarrier, taskBarrier, runFlags, commitFlags);
    openedGtid[c] = gtid;
  }

  @Override
  public void commit(int... cpus) {
    for (int c : cpus) {
      if (c < 0 || c >= openedGtid.length) {
        throw new IllegalArgumentException(
            "commit txn: cpu expected 0.." + (openedGtid.length - 1) + ", got " + c);
      }
      int bit = 1 << (c & 7);
      if ((cpuSet[c >>> 3] & bit) != 0) continue;
      cpuSet[c >>> 3] |= (byte) bit;
      if (committedCount == committed.length)
        committed = Arrays.copyOf(committed, committedCount * 2);
      committed[committedCount++] = c;
    }
  }

  @Override
  public int txnState(int c) {
    return mem.txns().state(c);
  }

  @Override
  public void yield(int agentBarrier, int runFlags) {
    if (cpu < 0)
      throw new IllegalStateException(
          "run (yield): only an agent thread may do this, not the setup thread");
    yieldRequested = true;
    yieldBarrier = agentBarrier;
    yieldFlags = runFlags;
  }

  // A failed ping (the agent is leaving, or not there yet) is counted, not fatal: the C++ library
  // returns Ping()'s result and its schedulers go on.
  @Override
  public void ping(int c) {
    if (dev.run(Gtid.AGENT, 0, c, 0) < 0) failedPings++;
  }

  @Override
  public void freeStatusWord(long gtid) {
    int i = mem.taskWord(gtid);
    SwInfo sw = i >= 0 ? new SwInfo(mem.words().id(), i) : dev.taskStatusWord(gtid);
    if (sw == null)
      throw new IllegalArgumentException("sw free: EINVAL, no status word for gtid " + gtid);
    dev.freeStatusWord(sw);
    mem.forgetTaskWord(gtid);
  }

  @Override
  public void discoverTasks() {
    if (deferAgents) discoverRequested = true;
    else dev.discoverTasks();
  }

  @Override
  public void timerAt(int c, long atNs, long cookie) {
    dev.timerfdSettime(c, atNs, cookie);
  }

  @Override
  public void pollAt(long atNs) {
    dev.pollAt(atNs);
  }

  @Override
  public void spend(long ns) {
    if (ns < 0) throw new IllegalArgumentException("spend: expected ns >= 0, got " + ns);
    dev.charge(ns);
  }

  @Override
  public Oracle oracle() {
    return oracle;
  }
}
