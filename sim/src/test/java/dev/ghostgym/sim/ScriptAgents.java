package dev.ghostgym.sim;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Scripted test agents. Setup is the per-CPU model (docs/KERNEL-MODEL.md section 2.7): one queue
 * per enclave CPU with its wakeup on that CPU, one CPU's queue as the default queue. Every
 * activation records the agent barrier, status-word flags and txn state it sees, drains its CPU's
 * queue into a trace of delivered messages (with {@code port.now()}), and then runs the test's
 * {@link Script}.
 */
final class ScriptAgents implements AgentHost {

  /** A message as the agent of {@code cpu} consumed it at simulated time {@code at}. */
  record Delivered(long at, int cpu, Message msg) {
    MessageType type() {
      return msg.type();
    }

    int seqnum() {
      return msg.seqnum();
    }

    long gtid() {
      return msg.type().isTaskMessage() ? msg.gtid() : -1;
    }

    <T> T payload(Class<T> type) {
      return type.cast(msg.payload());
    }
  }

  /** What one activation of the agent of {@code cpu} saw when it started. */
  record Activation(long at, int cpu, int index, int aseq, int flags, int txnState) {}

  /** After a drain: a task's last delivered seqnum and its status-word barrier at that moment. */
  record BarrierCheck(long at, long gtid, int lastSeqnum, int barrier) {}

  /** What the agent does after draining its queue. The default yields with the barrier it read. */
  @FunctionalInterface
  interface Script {
    void act(Ctx ctx);
  }

  /** One activation: the CPU, its port, the barrier read at the start, the drained messages. */
  final class Ctx {
    final int cpu;
    final KernelPort port;
    final int aseq;
    final int flags;
    final int index;
    final List<Message> drained;

    Ctx(int cpu, KernelPort port, int aseq, int flags, int index, List<Message> drained) {
      this.cpu = cpu;
      this.port = port;
      this.aseq = aseq;
      this.flags = flags;
      this.index = index;
      this.drained = drained;
    }

    long now() {
      return port.now();
    }

    /** Last seqnum this agent process saw for the task (0 if none). */
    int seq(long gtid) {
      return seqnums.getOrDefault(gtid, 0);
    }

    boolean got(MessageType type) {
      for (Message m : drained) if (m.type() == type) return true;
      return false;
    }

    /** RUN(NULL_GTID) with the barrier read at the start of this activation. */
    void yieldCpu(int runFlags) {
      port.yield(aseq, runFlags);
    }

    /** Commits {@code gtid} on this CPU the way the per-CPU FIFO does (COMMIT_AT_TXN_COMMIT). */
    void runLocal(long gtid) {
      runLocal(gtid, 0, CommitFlags.COMMIT_AT_TXN_COMMIT);
    }

    void runLocal(long gtid, int runFlags, int commitFlags) {
      port.openTxn(cpu, gtid, aseq, seq(gtid), runFlags, commitFlags);
      port.commit(cpu);
    }

    /** The queue of {@code cpu}'s agent. */
    int queueOf(int c) {
      return queue[c];
    }
  }

  final List<Delivered> delivered = new ArrayList<>();
  final List<Activation> activations = new ArrayList<>();
  final List<BarrierCheck> barrierChecks = new ArrayList<>();
  final Map<Long, Integer> seqnums = new HashMap<>();
  private final int defaultCpu;
  private final IntPredicate agentOn;
  Script script = ctx -> ctx.yieldCpu(0);
  int[] queue = new int[0];
  private int[] count = new int[0];
  KernelPort setup;

  /** Agents on every enclave CPU; {@code defaultCpu}'s queue is the default queue (-1: none). */
  ScriptAgents(int defaultCpu) {
    this(defaultCpu, c -> true);
  }

  ScriptAgents(int defaultCpu, IntPredicate agentOn) {
    this.defaultCpu = defaultCpu;
    this.agentOn = agentOn;
  }

  ScriptAgents with(Script s) {
    this.script = s;
    return this;
  }

  @Override
  public void attach(KernelPort port) {
    setup = port;
    queue = new int[port.cpus()];
    count = new int[port.cpus()];
    Arrays.fill(queue, -1);
    for (int c : port.enclaveCpus()) {
      if (!agentOn.test(c)) continue;
      queue[c] = port.createQueue(1024);
      port.configQueueWakeup(queue[c], c);
      if (c == defaultCpu) port.setDefaultQueue(queue[c]);
      port.becomeAgent(c, queue[c]);
    }
  }

  @Override
  public void activate(int cpu, KernelPort port) {
    int aseq = port.agentBarrier(cpu);
    int flags = port.agentFlags(cpu);
    int index = count[cpu]++;
    activations.add(new Activation(port.now(), cpu, index, aseq, flags, port.txnState(cpu)));
    List<Message> drained = new ArrayList<>();
    Map<Long, Integer> last = new LinkedHashMap<>();
    Message m;
    while ((m = port.poll(queue[cpu])) != null) {
      delivered.add(new Delivered(port.now(), cpu, m));
      drained.add(m);
      if (m.type().isTaskMessage()) {
        seqnums.put(m.gtid(), m.seqnum());
        last.put(m.gtid(), m.seqnum());
      }
    }
    for (Map.Entry<Long, Integer> e : last.entrySet()) {
      barrierChecks.add(
          new BarrierCheck(port.now(), e.getKey(), e.getValue(), port.taskBarrier(e.getKey())));
    }
    script.act(new Ctx(cpu, port, aseq, flags, index, drained));
  }

  // --- queries for assertions ---------------------------------------------------------------

  List<Delivered> of(long gtid) {
    List<Delivered> out = new ArrayList<>();
    for (Delivered d : delivered) if (d.gtid() == gtid) out.add(d);
    return out;
  }

  List<Delivered> ofType(MessageType type) {
    List<Delivered> out = new ArrayList<>();
    for (Delivered d : delivered) if (d.type() == type) out.add(d);
    return out;
  }

  List<Activation> on(int cpu) {
    List<Activation> out = new ArrayList<>();
    for (Activation a : activations) if (a.cpu() == cpu) out.add(a);
    return out;
  }

  /** "TYPE@time#seqnum" for each delivered message of the task, in delivery order. */
  List<String> story(long gtid) {
    List<String> out = new ArrayList<>();
    for (Delivered d : of(gtid)) out.add(d.type() + "@" + d.at() + "#" + d.seqnum());
    return out;
  }
}
