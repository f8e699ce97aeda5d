package dev.ghostgym.sim;

import dev.ghostgym.abi.RunFlags;
import java.util.Arrays;

/**
 * Agent activations and their costs: woken agents are batched per instant and run in CPU order
 * (taking the CPU from what ran there); each activation's simulated cost (switch-in, messages
 * drained, local and remote schedules, work it spent) decides when its commit point fires. Agents
 * may suspend an activation to wait for a decision from outside the simulation.
 */
final class Activations {
  private final Machine m;
  final boolean[] pending;
  int[] activations;
  int activationCount;
  final int[] batch;
  final int[] spinners;
  final int[] held;
  int heldCount;
  int batchSize;
  int batchNext;
  int spinnerCount;
  int suspended;

  Activations(Machine m, int cpus) {
    this.m = m;
    this.pending = new boolean[cpus];
    this.activations = new int[cpus];
    this.batch = new int[cpus];
    this.spinners = new int[cpus];
    this.held = new int[cpus];
  }

  void suspend(SimCpu c) {
    c.agent = AgentState.SUSPENDED;
    suspended++;
  }

  void activate(SimCpu c) {
    // A spinning agent has held its CPU since it last stopped working: that is agent time too.
    if (c.agent == AgentState.SPINNING) c.agentSpin += m.now - c.agentSince;
    c.wasBlocked = c.agent == AgentState.BLOCKED;
    c.agent = AgentState.RUNNABLE;
    if (!pending[c.id]) {
      pending[c.id] = true;
      activations[activationCount++] = c.id;
    }
  }

  void runActivations() {
    int n = 0;
    for (int i = 0; i < activationCount; i++) {
      int id = activations[i];
      pending[id] = false;
      if (m.cpus[id].agent == AgentState.RUNNABLE) batch[n++] = id;
    }
    activationCount = 0;
    Arrays.sort(batch, 0, n);
    for (int i = 0; i < n; i++) {
      SimCpu c = m.cpus[batch[i]];
      // The agent takes the CPU: a running ghOSt task is preempted, a CFS task waits.
      SimTask cur = c.current;
      if (cur != null) {
        if (cur.ghost) {
          m.dispatch.preemptGhost(c, cur, false);
        } else {
          m.dispatch.stopTask(c, cur);
          m.accounting.becomeRunnable(cur);
          m.fair.requeue(c, cur);
        }
      }
      if (c.latched != null
          && (c.latched.lastRunFlags & RunFlags.DEFER_LATCHED_PREEMPTION_BY_AGENT) == 0) {
        m.dispatch.preemptLatched(c);
      }
      if ((c.idleRunFlags & RunFlags.DEFER_LATCHED_PREEMPTION_BY_AGENT) == 0) c.latchedIdle = false;
      c.agent = AgentState.RUNNING;
      // The agent starts after the kernel's work on this CPU; a spinning agent's CPU is agent time
      // throughout, the kernel's interruptions included (KERNEL-MODEL.md 3.1).
      c.agentStart = Math.max(m.now, c.kernelUntil);
      c.agentSince = c.wasBlocked ? c.agentStart : m.now;
      c.drained = 0;
      c.drainedAfterProduce = 0;
      c.spent = 0;
      c.commitCount = 0;
      c.syncCount = 0;
      c.yieldRequested = false;
      c.pollDirty = false;
      c.activationEpoch++;
      m.metrics.activation();
      m.trace.record(Machine.TR_ACTIVATE, m.now, c.id, c.aseq, 0);
      if (m.observer != null) m.observer.onAgentRun(m.now, c.id);
    }
    batchSize = n;
    runBatch(0);
  }

  /**
   * Activates the batch's agents from index {@code from} on, one at a time in CPU order. When one
   * suspends, the rest wait for it (see {@link Machine#runUntilPause()}); when all are done, their
   * commit points are scheduled in CPU order.
   */
  void runBatch(int from) {
    for (int i = from; i < batchSize; i++) {
      SimCpu c = m.cpus[batch[i]];
      if (c.agent != AgentState.RUNNING) continue;
      m.host.activate(c.id, m.ports[c.id]);
      if (c.agent == AgentState.SUSPENDED) {
        batchNext = i + 1;
        return;
      }
      if (c.agent == AgentState.RUNNING) held[heldCount++] = c.id;
    }
    batchNext = batchSize;
    for (int i = 0; i < heldCount; i++) {
      SimCpu c = m.cpus[held[i]];
      if (c.agent == AgentState.RUNNING)
        m.events.add(c.agentStart + agentCost(c), Machine.EV_COMMIT_POINT, c, c.activationEpoch);
    }
    heldCount = 0;
  }

  /** Resumes the suspended agent and then the rest of its instant's batch. */
  void resumeBatch() {
    for (SimCpu c : m.cpus) {
      if (c.agent != AgentState.SUSPENDED) continue;
      suspended--;
      c.agent = AgentState.RUNNING;
      m.host.activate(c.id, m.ports[c.id]);
      if (c.agent == AgentState.SUSPENDED) return;
      if (c.agent == AgentState.RUNNING) held[heldCount++] = c.id;
    }
    runBatch(batchNext);
  }

  long agentCost(SimCpu c) {
    long cost = c.spent + (c.wasBlocked ? m.costs.agentSwitchIn() : 0);
    cost += (long) c.drained * (c.wasBlocked ? m.costs.localMessage() : m.costs.globalMessage());
    cost += (long) c.drainedAfterProduce * m.costs.drainAfterProduce(c.wasBlocked);
    int remote = 0;
    boolean local = false;
    for (int i = 0; i < c.commitCount; i++) {
      if (c.commitCpus[i] == c.id) local = true;
      else remote++;
    }
    // A sync group runs the same _ghost_commit_txn per txn as a group commit (ghost_sync_group).
    for (int i = 0; i < c.syncCount; i++) {
      if (c.syncCpus[i] == c.id) local = true;
      else remote++;
    }
    // The COMMIT_TXN ioctl: a local commit's switch to the task is charged when it succeeds (the
    // task starts after it, TxnCommit.commitPoint), so a failed one costs only the syscall; with
    // remote txns in the same call the ioctl is in the remote cost already.
    if (local && remote == 0) cost += m.costs.localCommit();
    return cost + m.costs.remote(remote);
  }

  boolean hasMessages(SimCpu c) {
    return c.agentQueue >= 0 && !m.queues.get(c.agentQueue).messages.isEmpty();
  }

  void addSpinner(SimCpu c) {
    for (int i = 0; i < spinnerCount; i++) if (spinners[i] == c.id) return;
    spinners[spinnerCount++] = c.id;
  }

  void blockAgent(SimCpu c, int yieldFlags) {
    c.agent = AgentState.BLOCKED;
    c.yieldFlags = yieldFlags;
    if (m.observer != null) m.observer.onAgentBlock(m.now, c.id);
    m.dispatch.resched(c);
  }
}
