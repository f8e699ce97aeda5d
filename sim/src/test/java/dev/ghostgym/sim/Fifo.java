package dev.ghostgym.sim;

import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TxnState;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.function.LongToIntFunction;

/**
 * A per-CPU FIFO policy for {@link ScriptAgents}, after {@code schedulers/fifo/per_cpu}
 * (docs/KERNEL-MODEL.md section 2.12): a runnable task gets a home CPU ({@code home}, round-robin
 * by default), is associated with that CPU's queue and queued there; each agent runs its current
 * task or the head of its run queue with a local COMMIT_AT_TXN_COMMIT txn; preempted tasks go to
 * the front; with BOOST_PRIO the agent yields with RTLA_ON_IDLE if it has work.
 */
final class Fifo implements ScriptAgents.Script {
  private final ScriptAgents agents;
  private final LongToIntFunction home;
  final HashMap<Long, Integer> cpuOf = new HashMap<>();
  final HashSet<Long> runnable = new HashSet<>();
  final HashMap<Integer, ArrayDeque<Long>> rq = new HashMap<>();
  final HashMap<Integer, Long> current = new HashMap<>();
  final HashMap<Integer, Long> committing = new HashMap<>();
  private int rr;

  Fifo(ScriptAgents agents) {
    this(agents, null);
  }

  /** {@code home}: the CPU a task is given when it first becomes runnable (null: round-robin). */
  Fifo(ScriptAgents agents, LongToIntFunction home) {
    this.agents = agents;
    this.home = home;
  }

  @Override
  public void act(ScriptAgents.Ctx ctx) {
    absorb(ctx);
    decide(ctx);
  }

  /** Learns the outcome of the last commit and handles the drained messages, deciding nothing. */
  void absorb(ScriptAgents.Ctx ctx) {
    settle(ctx);
    for (Message m : ctx.drained) handle(ctx, m);
  }

  ArrayDeque<Long> rq(int cpu) {
    return rq.computeIfAbsent(cpu, k -> new ArrayDeque<>());
  }

  /** The outcome of last activation's commit, read as the agent does when its ioctl returns. */
  private void settle(ScriptAgents.Ctx ctx) {
    Long g = committing.remove(ctx.cpu);
    if (g == null) return;
    if (ctx.port.txnState(ctx.cpu) == TxnState.COMPLETE.code()) {
      current.put(ctx.cpu, g);
    } else if (runnable.contains(g) && !rq(ctx.cpu).contains(g)) {
      rq(ctx.cpu).addFirst(g);
    }
  }

  void handle(ScriptAgents.Ctx ctx, Message m) {
    if (!m.type().isTaskMessage()) return; // CPU_TICK and the rest: nothing for this policy
    long g = m.gtid();
    switch (m.type()) {
      case TASK_NEW -> {
        forget(g);
        if (((TaskNew) m.payload()).runnable()) {
          runnable.add(g);
          assign(ctx, g);
        }
      }
      case TASK_WAKEUP -> {
        runnable.add(g);
        if (cpuOf.containsKey(g)) enqueue(cpuOf.get(g), g, false);
        else assign(ctx, g);
      }
      case TASK_BLOCKED -> {
        runnable.remove(g);
        clearCurrent(g);
      }
      case TASK_PREEMPT -> {
        clearCurrent(g);
        if (runnable.contains(g) && cpuOf.containsKey(g)) enqueue(cpuOf.get(g), g, true);
      }
      case TASK_YIELD -> {
        clearCurrent(g);
        if (cpuOf.containsKey(g)) enqueue(cpuOf.get(g), g, false);
      }
      case TASK_DEAD, TASK_DEPARTED -> {
        forget(g);
        cpuOf.remove(g);
        ctx.port.freeStatusWord(g);
      }
      default -> {}
    }
  }

  private void assign(ScriptAgents.Ctx ctx, long g) {
    int[] enclave = ctx.port.enclaveCpus();
    int cpu = home != null ? home.applyAsInt(g) : enclave[rr++ % enclave.length];
    int r = ctx.port.assocQueue(g, agents.queue[cpu], ctx.seq(g));
    if (r < 0) throw new AssertionError("assoc queue of " + g + " to CPU " + cpu + ": errno " + -r);
    cpuOf.put(g, cpu);
    enqueue(cpu, g, false);
    if (cpu != ctx.cpu) ctx.port.ping(cpu);
  }

  private void enqueue(int cpu, long g, boolean front) {
    ArrayDeque<Long> q = rq(cpu);
    if (q.contains(g)) return;
    if (front) q.addFirst(g);
    else q.addLast(g);
  }

  private void clearCurrent(long g) {
    current.values().removeIf(x -> x == g);
  }

  private void forget(long g) {
    runnable.remove(g);
    clearCurrent(g);
    committing.values().removeIf(x -> x == g);
    for (ArrayDeque<Long> q : rq.values()) q.remove(g);
  }

  void decide(ScriptAgents.Ctx ctx) {
    ArrayDeque<Long> q = rq(ctx.cpu);
    Long cur = current.get(ctx.cpu);
    if ((ctx.flags & StatusFlags.BOOST_PRIO) != 0) {
      ctx.yieldCpu(cur != null || !q.isEmpty() ? RunFlags.RTLA_ON_IDLE : 0);
      return;
    }
    Long next = cur != null ? cur : q.pollFirst();
    if (next == null) {
      ctx.yieldCpu(0);
      return;
    }
    ctx.runLocal(next);
    committing.put(ctx.cpu, next);
  }
}
