package dev.ghostgym.sim;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AssocFlags;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.port.Oracle;
import dev.ghostgym.port.PrioTable;
import java.util.Arrays;

/**
 * The simulated kernel as one agent thread sees it: the calls of {@link KernelPort} made from CPU
 * {@code cpu} (or from the agent process's setup thread, cpu = -1). Commits and yields are recorded
 * and applied by the machine at the agent's commit point.
 */
final class MachinePort implements KernelPort {
  private final Machine m;
  private final int cpu;

  MachinePort(Machine m, int cpu) {
    this.m = m;
    this.cpu = cpu;
  }

  @Override
  public long now() {
    return m.now;
  }

  @Override
  public int cpus() {
    return m.cpus.length;
  }

  @Override
  public int spareAgentCpu() {
    return m.cpus.length > m.enclaveCpus.length ? m.cpus.length - 1 : -1;
  }

  @Override
  public int[] enclaveCpus() {
    return m.enclaveCpus.clone();
  }

  @Override
  public int createQueue(int elems) {
    SimQueue q = new SimQueue(m.queues.size(), elems);
    m.queues.add(q);
    return q.id;
  }

  @Override
  public void configQueueWakeup(int queue, int... cpus) {
    if (cpus.length > AbiConstants.GHOST_MAX_WINFO) {
      throw new IllegalArgumentException(
          "config queue wakeup: EINVAL, at most "
              + AbiConstants.GHOST_MAX_WINFO
              + " wakeup CPUs, got "
              + cpus.length);
    }
    for (int c : cpus) checkCpu(c, "config queue wakeup");
    m.queue(queue).wakeup = cpus.clone();
    // The kernel kicks the last listed agent in case messages are already pending.
    if (cpus.length > 0) m.messaging.wakeAgent(m.cpus[cpus[cpus.length - 1]]);
  }

  @Override
  public void setDefaultQueue(int queue) {
    m.defaultQueue = m.queue(queue);
  }

  @Override
  public void becomeAgent(int agentCpu, int queue) {
    checkCpu(agentCpu, "become agent");
    m.faults.becomeAgent(agentCpu, queue);
  }

  @Override
  public int agentBarrier(int c) {
    checkCpu(c, "agent barrier");
    return m.cpus[c].aseq;
  }

  @Override
  public int agentFlags(int c) {
    checkCpu(c, "agent flags");
    return m.cpus[c].swFlags;
  }

  @Override
  public int taskBarrier(long gtid) {
    SimTask t = m.tasks.get(gtid);
    return t == null ? -1 : t.barrier;
  }

  @Override
  public int taskFlags(long gtid) {
    SimTask t = m.tasks.get(gtid);
    if (t == null) return 0;
    int f = StatusFlags.F_INUSE;
    if (t.state == TaskState.ON_CPU) f |= StatusFlags.TASK_ONCPU | StatusFlags.TASK_RUNNABLE;
    if (t.state == TaskState.RUNNABLE) f |= StatusFlags.TASK_RUNNABLE;
    if (t.state == TaskState.DEAD) f |= StatusFlags.F_CANFREE;
    if (t.msgGated) f |= StatusFlags.F_CANFREE | StatusFlags.TASK_MSG_GATED;
    return f;
  }

  @Override
  public java.util.BitSet taskAffinity(long gtid) {
    syscall();
    SimTask t = m.tasks.get(gtid);
    return t == null || t.affinity == null ? null : (java.util.BitSet) t.affinity.clone();
  }

  @Override
  public long taskRuntime(long gtid) {
    SimTask t = m.tasks.get(gtid);
    if (t == null) return -1;
    return t.state == TaskState.ON_CPU ? t.runtime + Math.max(0, m.now - t.runStart) : t.runtime;
  }

  @Override
  public Message poll(int queue) {
    SimQueue q = m.queue(queue);
    Message msg = q.messages.pollFirst();
    if (msg == null) return null;
    q.usedSlots -= Machine.slots(msg.type());
    boolean producedOnCpu = q.producedOnCpu.pollFirst();
    if (cpu >= 0 && producedOnCpu) m.cpus[cpu].drainedAfterProduce++;
    else if (cpu >= 0) m.cpus[cpu].drained++;
    if (m.invariants != null) m.invariants.delivered(msg);
    if (m.deliveredTap != null) m.deliveredTap.accept(msg);
    return msg;
  }

  /** A ghOSt ioctl made by a running agent costs it a syscall (KERNEL-MODEL.md 3.1). */
  private void syscall() {
    if (cpu >= 0 && m.cpus[cpu].agent == AgentState.RUNNING) m.cpus[cpu].spent += m.costs.syscall();
  }

  @Override
  public int assocQueue(long gtid, int queue, int barrier) {
    syscall();
    SimQueue q = m.queue(queue);
    SimTask t = m.tasks.get(gtid);
    if (t == null || t.state == TaskState.DEAD || !t.ghost) return -AbiConstants.ENOENT;
    if (barrier != t.barrier) return -AbiConstants.ESTALE;
    int status = 0;
    if (t.queue == q) status |= AssocFlags.ASSOC_SF_ALREADY;
    // No task enters ghOSt while running here, so TASK_NEW is never deferred: no SF_BRAND_NEW.
    t.queue = q;
    return status;
  }

  @Override
  public void openTxn(
      int c, long gtid, int agentBarrier, int taskBarrier, int runFlags, int commitFlags) {
    checkCpu(c, "open txn");
    SimCpu d = m.cpus[c];
    d.txnVersion = AbiConstants.GHOST_TXN_VERSION;
    d.txnCpu = c;
    d.txnGtid = gtid;
    d.txnAgentBarrier = agentBarrier;
    d.txnTaskBarrier = taskBarrier;
    d.txnRunFlags = runFlags;
    d.txnCommitFlags = commitFlags;
    d.txnState = TxnState.READY.code();
  }

  @Override
  public void commit(int... targets) {
    SimCpu self = caller("commit txn");
    for (int t : targets) {
      checkCpu(t, "commit txn");
      if (contains(self.syncCpus, self.syncCount, t))
        throw new IllegalArgumentException(
            "commit txn: CPU " + t + " is already in this pass's sync group");
      if (contains(self.commitCpus, self.commitCount, t)) continue;
      if (self.commitCount == self.commitCpus.length) {
        self.commitCpus = Arrays.copyOf(self.commitCpus, self.commitCount * 2);
      }
      self.commitCpus[self.commitCount++] = t;
    }
  }

  @Override
  public void syncCommit(int... targets) {
    SimCpu self = caller("sync group txn");
    if (self.syncCount > 0)
      throw new IllegalStateException(
          "sync group txn: this agent pass already submitted a sync group");
    for (int t : targets) {
      checkCpu(t, "sync group txn");
      if (contains(self.commitCpus, self.commitCount, t))
        throw new IllegalArgumentException(
            "sync group txn: CPU " + t + " is already in this pass's COMMIT_TXN");
      if (contains(self.syncCpus, self.syncCount, t)) continue;
      if (self.syncCount == self.syncCpus.length)
        self.syncCpus = Arrays.copyOf(self.syncCpus, self.syncCount * 2);
      self.syncCpus[self.syncCount++] = t;
    }
  }

  /** Whether {@code cpu} is among the first {@code n} of {@code cpus} (a pass's txn CPUs). */
  private static boolean contains(int[] cpus, int n, int cpu) {
    for (int i = 0; i < n; i++) if (cpus[i] == cpu) return true;
    return false;
  }

  @Override
  public int txnState(int c) {
    checkCpu(c, "txn state");
    return m.cpus[c].txnState;
  }

  @Override
  public void yield(int agentBarrier, int runFlags) {
    SimCpu self = caller("run (yield)");
    if ((runFlags & ~RunFlags.RTLA_ON_IDLE) != 0) {
      throw new IllegalArgumentException(
          "run (yield): EINVAL, only RTLA_ON_IDLE is accepted, got " + RunFlags.describe(runFlags));
    }
    self.yieldRequested = true;
    syscall();
    self.yieldBarrier = agentBarrier;
    self.yieldRunFlags = runFlags;
  }

  @Override
  public void ping(int c) {
    checkCpu(c, "ping");
    syscall();
    m.messaging.wakeAgent(m.cpus[c]);
  }

  @Override
  public void pollAt(long atNs) {
    SimCpu self = caller("poll at");
    if (atNs <= m.now) return;
    m.at(
        atNs,
        () -> {
          if (self.agent == AgentState.SPINNING) m.agents.activate(self);
          else if (self.agent == AgentState.RUNNING || self.agent == AgentState.SUSPENDED)
            self.pollDirty = true;
        });
  }

  @Override
  public void deliverCpuAvailability(boolean on) {
    m.deliverCpuAvailability = on;
  }

  @Override
  public void freeStatusWord(long gtid) {
    syscall();
    m.faults.freeWord(gtid);
  }

  @Override
  public void discoverTasks() {
    m.faults.discover();
  }

  @Override
  public void timerAt(int c, long atNs, long cookie) {
    checkCpu(c, "timerfd settime");
    if (atNs < m.now)
      throw new IllegalArgumentException(
          "timerfd settime: time " + atNs + " is in the past (now " + m.now + ")");
    m.messaging.timerAt(m.cpus[c], atNs, cookie);
  }

  @Override
  public void spend(long ns) {
    if (ns < 0) throw new IllegalArgumentException("spend: expected ns >= 0, got " + ns);
    caller("spend").spent += ns;
    m.agentSpentNs += ns;
  }

  @Override
  public Oracle oracle() {
    return m.oracle;
  }

  @Override
  public PrioTable prioTable() {
    return m.prioTable.present() ? m.prioTable : PrioTable.NONE;
  }

  @Override
  public void suspend() {
    m.agents.suspend(caller("suspend"));
  }

  private SimCpu caller(String call) {
    if (cpu < 0)
      throw new IllegalStateException(
          call + ": only an agent thread may do this, not the setup thread");
    SimCpu self = m.cpus[cpu];
    if (self.agent != AgentState.RUNNING) {
      throw new IllegalStateException(
          call + ": the agent of CPU " + cpu + " is not running (" + self.agent + ")");
    }
    return self;
  }

  private void checkCpu(int c, String call) {
    if (c < 0 || c >= m.cpus.length) {
      throw new IllegalArgumentException(
          call + ": cpu expected 0.." + (m.cpus.length - 1) + ", got " + c);
    }
  }
}
