package dev.ghostgym.actors.enclave;

import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.Payload;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskBlocked;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskDeparted;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskPreempt;
import dev.ghostgym.abi.TaskWakeup;
import dev.ghostgym.abi.TaskYield;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.port.KernelPort;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted kernel for stepping agents by hand: queues the test fills with messages, barriers and
 * flags the test sets, and a log of every call an agent makes ("txn 1 task 7", "commit [1]", "yield
 * RTLA_ON_IDLE", ...). Thread-safe, so actors on other threads can use it.
 */
final class FakeKernel implements KernelPort {
  private final int cpus;
  private final List<ArrayDeque<Message>> queues = new ArrayList<>();
  private final int[] aseq;
  private final int[] flags;
  private final int[] txnState;
  private final Map<Long, Integer> taskSeq = new HashMap<>();
  private final Map<Long, Integer> taskQueue = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  private int defaultQueue = -1;
  private boolean failNextPoll;
  private final long now = 1_000_000;

  FakeKernel(int cpus) {
    this.cpus = cpus;
    this.aseq = new int[cpus];
    this.flags = new int[cpus];
    this.txnState = new int[cpus];
    Arrays.fill(flags, StatusFlags.CPU_AVAIL);
    Arrays.fill(txnState, TxnState.COMPLETE.code());
  }

  // --- what the test does ------------------------------------------------------------------------

  /** A new runnable task: TASK_NEW into the default queue. */
  synchronized void newTask(long gtid) {
    taskSeq.put(gtid, 1);
    queues
        .get(defaultQueue)
        .add(
            new Message(
                MessageType.TASK_NEW,
                1,
                new TaskNew(gtid, 0, 0, true, 0, new SwInfo(0, (int) gtid), 0)));
  }

  synchronized void blocked(long gtid, int cpu) {
    send(gtid, MessageType.TASK_BLOCKED, new TaskBlocked(gtid, 100, 0, cpu, false));
  }

  synchronized void wakeup(long gtid, int cpu) {
    send(gtid, MessageType.TASK_WAKEUP, new TaskWakeup(gtid, 0, true, cpu, -1, -1));
  }

  synchronized void preempted(long gtid, int cpu) {
    send(gtid, MessageType.TASK_PREEMPT, new TaskPreempt(gtid, 200, 0, 0, cpu, false, false));
  }

  synchronized void yielded(long gtid, int cpu) {
    send(gtid, MessageType.TASK_YIELD, new TaskYield(gtid, 300, 0, 0, cpu, false));
  }

  synchronized void dead(long gtid, int cpu) {
    send(gtid, MessageType.TASK_DEAD, new TaskDead(gtid, cpu));
  }

  synchronized void departed(long gtid, int cpu) {
    send(gtid, MessageType.TASK_DEPARTED, new TaskDeparted(gtid, 0, cpu, false, false));
  }

  private void send(long gtid, MessageType type, Payload p) {
    int seq = taskSeq.merge(gtid, 1, Integer::sum);
    queues.get(taskQueue.getOrDefault(gtid, defaultQueue)).add(new Message(type, seq, p));
  }

  /** The next poll throws, as a bug inside the engine would. */
  synchronized void failNextPoll() {
    failNextPoll = true;
  }

  synchronized void setTxnState(int cpu, TxnState s) {
    txnState[cpu] = s.code();
  }

  synchronized void setAgentFlags(int cpu, int f) {
    flags[cpu] = f;
  }

  synchronized void bumpAgentBarrier(int cpu) {
    aseq[cpu]++;
  }

  /** The calls agents made since the last time, and forgets them. */
  synchronized List<String> takeCalls() {
    List<String> c = List.copyOf(calls);
    calls.clear();
    return c;
  }

  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  // --- KernelPort
  // ----------------------------------------------------------------------------------

  @Override
  public synchronized long now() {
    return now;
  }

  @Override
  public int cpus() {
    return cpus;
  }

  @Override
  public int[] enclaveCpus() {
    int[] ids = new int[cpus];
    for (int i = 0; i < cpus; i++) ids[i] = i;
    return ids;
  }

  @Override
  public synchronized int createQueue(int elems) {
    queues.add(new ArrayDeque<>());
    return queues.size() - 1;
  }

  @Override
  public synchronized void configQueueWakeup(int queue, int... wakeup) {}

  @Override
  public synchronized void setDefaultQueue(int queue) {
    defaultQueue = queue;
  }

  @Override
  public synchronized void becomeAgent(int cpu, int queue) {
    calls.add("becomeAgent " + cpu + " queue " + queue);
  }

  @Override
  public synchronized int agentBarrier(int cpu) {
    return aseq[cpu];
  }

  @Override
  public synchronized int agentFlags(int cpu) {
    return flags[cpu];
  }

  @Override
  public synchronized int taskBarrier(long gtid) {
    return taskSeq.getOrDefault(gtid, -1);
  }

  @Override
  public synchronized int taskFlags(long gtid) {
    return taskSeq.containsKey(gtid) ? StatusFlags.F_INUSE : 0;
  }

  @Override
  public synchronized long taskRuntime(long gtid) {
    return 0;
  }

  @Override
  public synchronized Message poll(int queue) {
    if (failNextPoll) {
      failNextPoll = false;
      throw new IllegalStateException("injected fault: poll of queue " + queue);
    }
    return queues.get(queue).poll();
  }

  @Override
  public synchronized int assocQueue(long gtid, int queue, int barrier) {
    taskQueue.put(gtid, queue);
    calls.add("assoc task " + gtid + " queue " + queue);
    return 0;
  }

  @Override
  public synchronized void openTxn(
      int cpu, long gtid, int agentBarrier, int taskBarrier, int runFlags, int commitFlags) {
    calls.add("txn " + cpu + " task " + gtid);
  }

  @Override
  public synchronized void commit(int... targets) {
    calls.add("commit " + Arrays.toString(targets));
  }

  @Override
  public synchronized int txnState(int cpu) {
    return txnState[cpu];
  }

  @Override
  public synchronized void yield(int agentBarrier, int runFlags) {
    calls.add(runFlags == 0 ? "yield" : "yield RTLA_ON_IDLE");
  }

  @Override
  public synchronized void ping(int cpu) {
    calls.add("ping " + cpu);
  }

  @Override
  public synchronized void freeStatusWord(long gtid) {
    calls.add("free task " + gtid);
  }

  @Override
  public synchronized void discoverTasks() {
    calls.add("discover");
  }

  @Override
  public synchronized void timerAt(int cpu, long atNs, long cookie) {}

  @Override
  public synchronized void spend(long ns) {}
}
