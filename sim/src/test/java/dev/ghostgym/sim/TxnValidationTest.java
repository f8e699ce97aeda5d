package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.US;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.cfs;
import static dev.ghostgym.sim.Kit.config;
import static dev.ghostgym.sim.Kit.ghost;
import static dev.ghostgym.sim.Kit.gtid;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.sleep;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskPreempt;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.config.TaskTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Commit-time validation of txns (docs/KERNEL-MODEL.md section 2.4, checked in that order) and the
 * txn state codes of section 2.5, with agents that deliberately commit bad txns.
 */
class TxnValidationTest {
  private static final int AT_COMMIT = CommitFlags.COMMIT_AT_TXN_COMMIT;
  private static final long UNKNOWN = Gtid.of(999, 0);

  /** A commit a probe makes instead of the FIFO's. */
  @FunctionalInterface
  interface Probe {
    void commit(ScriptAgents.Ctx ctx, Machine m);
  }

  /**
   * What a probe saw: the state its txn ended in, the agent barrier it read before committing, the
   * barrier on its next activation, and the barrier at 500 us (read by the test directly).
   */
  record Outcome(
      int state,
      int aseqAtProbe,
      int aseqNext,
      int aseqAt500us,
      ScriptAgents agents,
      SimResult result) {}

  /**
   * One CPU, task 1 runs {@code task} from t=0 under the per-CPU FIFO. On the first activation that
   * drained a {@code trigger} message the agent commits {@code probe} on its own CPU instead of
   * deciding; the next activation reports the outcome; the FIFO then runs the task to the end.
   */
  private static Outcome probe(TaskTemplate task, MessageType trigger, Probe probe) {
    ScriptAgents a = new ScriptAgents(0);
    Fifo fifo = new Fifo(a);
    Machine[] m = new Machine[1];
    int[] probeAt = {-1};
    a.with(
        ctx -> {
          fifo.absorb(ctx);
          if (probeAt[0] < 0 && ctx.got(trigger)) {
            probeAt[0] = ctx.index;
            probe.commit(ctx, m[0]);
            return;
          }
          fifo.decide(ctx);
        });
    m[0] = new Machine(config(1), workload(at(task, 0)), a);
    int[] at500 = {-1};
    m[0].at(500 * US, () -> at500[0] = m[0].cpuView(0).agentBarrier());
    SimResult r = m[0].run();
    ScriptAgents.Activation p = a.on(0).get(probeAt[0]);
    if (a.on(0).size() == probeAt[0] + 1) {
      // No later activation (e.g. the agent committed IDLE and blocked): read the txn directly.
      return new Outcome(m[0].cpuView(0).txnState(), p.aseq(), -1, at500[0], a, r);
    }
    ScriptAgents.Activation next = a.on(0).get(probeAt[0] + 1);
    return new Outcome(next.txnState(), p.aseq(), next.aseq(), at500[0], a, r);
  }

  private static Outcome probeOnNew(Probe probe) {
    Outcome o = probe(ghost(run(MS)), MessageType.TASK_NEW, probe);
    if (o.state() != TxnState.COMPLETE.code()) {
      // After a failed probe the FIFO commits task 1 at once: it runs 0..1ms.
      assertEquals(
          List.of("TASK_NEW@0#1", "TASK_BLOCKED@1000000#2", "TASK_DEAD@1000000#3"),
          o.agents().story(gtid(1)));
    }
    return o;
  }

  /**
   * Opens a txn on the agent's own CPU and commits it: {@code gtid} (0 = task 1), the barriers the
   * agent read plus the given deltas, and these flags.
   */
  private static Probe local(
      long gtid, int agentBarrierDelta, int taskBarrierDelta, int runFlags, int commitFlags) {
    return (ctx, m) -> {
      long g = gtid == 0 ? gtid(1) : gtid;
      ctx.port.openTxn(
          ctx.cpu,
          g,
          ctx.aseq + agentBarrierDelta,
          ctx.seq(g) + taskBarrierDelta,
          runFlags,
          commitFlags);
      ctx.port.commit(ctx.cpu);
    };
  }

  private static String name(int state) {
    return TxnState.of(state).name();
  }

  private static boolean newFor(ScriptAgents.Ctx ctx, long gtid) {
    for (Message msg : ctx.drained) {
      if (msg.type() == MessageType.TASK_NEW && msg.gtid() == gtid) return true;
    }
    return false;
  }

  // docs/KERNEL-MODEL.md 2.4 step 5 and 2.14 (3): a task barrier behind the status word's barrier
  // is
  // TARGET_STALE.
  @Test
  void staleTaskBarrierIsTargetStale() {
    Outcome o = probeOnNew(local(0, 0, -1, 0, AT_COMMIT));
    assertEquals("TARGET_STALE", name(o.state()));
    // A failed commit without INC_AGENT_BARRIER_ON_FAILURE leaves the agent barrier alone.
    assertEquals(o.aseqAtProbe(), o.aseqNext());
  }

  // docs/KERNEL-MODEL.md 2.4 step 5: a task that is dead (TASK_DEAD seen, status word not yet
  // freed) is
  // TARGET_STALE even with the current barrier; once the word is freed the gtid is unknown.
  @Test
  void deadTaskIsTargetStaleUntilItsWordIsFreed() {
    Map<String, Integer> seen = new LinkedHashMap<>();
    ScriptAgents a = new ScriptAgents(0);
    a.with(
        ctx -> {
          long g = gtid(1);
          if (ctx.got(MessageType.TASK_NEW)) {
            ctx.runLocal(g);
          } else if (ctx.got(MessageType.TASK_DEAD)) {
            ctx.runLocal(g); // current barrier, but the task has exited
          } else if (!seen.containsKey("dead")) {
            seen.put("dead", ctx.port.txnState(ctx.cpu));
            ctx.port.freeStatusWord(g);
            ctx.runLocal(g); // same txn after SW_FREE
          } else {
            seen.put("freed", ctx.port.txnState(ctx.cpu));
            ctx.yieldCpu(0);
          }
        });
    new Machine(config(1), workload(at(ghost(run(MS)), 0)), a).run();
    assertEquals("TARGET_STALE", name(seen.get("dead")));
    assertEquals("TARGET_NOT_FOUND", name(seen.get("freed")));
  }

  // docs/KERNEL-MODEL.md 2.4 step 12 and 2.14 (4): a local commit with an agent barrier older than
  // the
  // current Aseq is AGENT_STALE.
  @Test
  void localCommitWithAnOldAgentBarrierIsAgentStale() {
    Outcome o = probeOnNew(local(0, -1, 0, 0, AT_COMMIT));
    assertEquals("AGENT_STALE", name(o.state()));
  }

  // docs/KERNEL-MODEL.md 2.3 (a ping is a wakeup aimed at the CPU and moves its Aseq) and 2.4 step
  // 12:
  // the agent of CPU 1 reads its barrier and commits; before its commit lands (a local schedule
  // costs 5 us here) the agent of CPU 0 pings it, so the commit fails AGENT_STALE and the agent
  // loops; without the ping the same commit succeeds.
  @Test
  void pingFromAnotherAgentBetweenBarrierReadAndCommitMakesItAgentStale() {
    for (boolean ping : new boolean[] {true, false}) {
      ScriptAgents a = new ScriptAgents(0);
      Fifo fifo = new Fifo(a, g -> g == gtid(1) ? 1 : 0);
      a.with(
          ctx -> {
            fifo.act(ctx);
            if (ping && ctx.cpu == 0 && ctx.now() == US) ctx.port.ping(1);
          });
      Machine m =
          new Machine(
              config(2, Kit.localScheduleCost(5 * US)), workload(at(ghost(run(MS)), 0, US)), a);
      m.run();
      List<ScriptAgents.Activation> cpu1 = a.on(1);
      if (ping) {
        // t=0: reads Aseq 1 (CPU 0's ping after TASK_NEW), commits task 1; t=1us: ping, Aseq 2;
        // t=5us: the commit fails, the agent loops at once with Aseq 2 and commits again.
        assertEquals(0, cpu1.get(0).at());
        assertEquals(1, cpu1.get(0).aseq());
        assertEquals(5 * US, cpu1.get(1).at());
        assertEquals("AGENT_STALE", name(cpu1.get(1).txnState()));
        assertEquals(2, cpu1.get(1).aseq());
        assertEquals(
            List.of("TASK_NEW@0#1", "TASK_BLOCKED@1010000#2", "TASK_DEAD@1010000#3"),
            a.story(gtid(1)));
      } else {
        assertEquals(
            List.of("TASK_NEW@0#1", "TASK_BLOCKED@1005000#2", "TASK_DEAD@1005000#3"),
            a.story(gtid(1)));
        for (ScriptAgents.Activation x : cpu1)
          assertTrue(x.txnState() != TxnState.AGENT_STALE.code());
      }
      // Task 2 on CPU 0 is not disturbed: committed at 1us, lands at 6us, runs 1 ms.
      assertEquals(
          List.of("TASK_NEW@1000#1", "TASK_BLOCKED@1006000#2", "TASK_DEAD@1006000#3"),
          a.story(gtid(2)));
    }
  }

  // docs/KERNEL-MODEL.md 2.4 step 5: committing a blocked task is TARGET_NOT_RUNNABLE (its barrier
  // is
  // current: the agent has seen TASK_BLOCKED).
  @Test
  void blockedTaskIsTargetNotRunnable() {
    Outcome o =
        probe(
            ghost(run(MS), sleep(2 * MS), run(MS)),
            MessageType.TASK_BLOCKED,
            local(0, 0, 0, 0, AT_COMMIT));
    assertEquals("TARGET_NOT_RUNNABLE", name(o.state()));
    // The FIFO runs it after its wakeup: 0..1ms, then 3..4ms.
    assertEquals(4 * MS, o.result().endNs());
    assertEquals(
        List.of(
            "TASK_NEW@0#1",
            "TASK_BLOCKED@1000000#2",
            "TASK_WAKEUP@3000000#3",
            "TASK_BLOCKED@4000000#4",
            "TASK_DEAD@4000000#5"),
        o.agents().story(gtid(1)));
  }

  // docs/KERNEL-MODEL.md 2.4 step 5: an unknown gtid is TARGET_NOT_FOUND, which is checked before
  // the
  // agent barrier (step 12).
  @Test
  void unknownGtidIsTargetNotFound() {
    assertEquals("TARGET_NOT_FOUND", name(probeOnNew(local(UNKNOWN, 0, 0, 0, AT_COMMIT)).state()));
    assertEquals("TARGET_NOT_FOUND", name(probeOnNew(local(UNKNOWN, -1, 0, 0, AT_COMMIT)).state()));
  }

  // docs/KERNEL-MODEL.md 2.4 steps 5 and 6: gtid < -2 and a task that is not ghOSt-policy (a CFS
  // task)
  // are INVALID_TARGET; the CFS target is refused before CPU_UNAVAIL (step 11).
  @Test
  void negativeGtidBelowIdleAndCfsTaskAreInvalidTarget() {
    assertEquals("INVALID_TARGET", name(probeOnNew(local(-3, 0, 0, 0, AT_COMMIT)).state()));
    ScriptAgents a = new ScriptAgents(0);
    Fifo fifo = new Fifo(a);
    int[] state = {0};
    a.with(
        ctx -> {
          fifo.absorb(ctx);
          if (ctx.index == 0) {
            ctx.port.openTxn(0, gtid(2), ctx.aseq, 0, 0, AT_COMMIT); // task 2 is the CFS task
            ctx.port.commit(0);
            return;
          }
          if (ctx.index == 1) state[0] = ctx.port.txnState(0);
          fifo.decide(ctx);
        });
    new Machine(config(1), workload(at(ghost(run(MS)), 0), at(cfs(run(MS)), 0)), a).run();
    assertEquals("INVALID_TARGET", name(state[0]));
  }

  // docs/KERNEL-MODEL.md 2.4 steps 2 and 3: bad run flags or commit flags are INVALID_FLAGS,
  // checked
  // before the target (an unknown gtid with bad flags is still INVALID_FLAGS).
  @Test
  void badRunOrCommitFlagsAreInvalidFlags() {
    List<Probe> bad =
        List.of(
            local(0, 0, 0, 1 << 3, AT_COMMIT), // unknown run flag bit
            local(0, 0, 0, 1 << 13, AT_COMMIT), // unknown run flag bit
            local(Gtid.IDLE, 0, 0, RunFlags.RTLA_ON_IDLE, AT_COMMIT), // RTLA_ON_IDLE, gtid < 0
            local(0, 0, 0, RunFlags.NEED_CPU_NOT_IDLE, AT_COMMIT), // only with IDLE_GTID
            local(Gtid.AGENT, 0, 0, RunFlags.RTLA_ON_PREEMPT, AT_COMMIT), // AGENT_GTID needs 0
            local(0, 0, 0, 0, CommitFlags.COMMIT_AT_SCHEDULE | AT_COMMIT), // two COMMIT_AT flags
            local(
                0,
                0,
                0,
                0,
                AT_COMMIT
                    | CommitFlags.ELIDE_AGENT_BARRIER_INC
                    | CommitFlags.INC_AGENT_BARRIER_ON_FAILURE), // contradictory
            local(0, 0, 0, 0, 1 << 5), // unknown commit bit
            local(UNKNOWN, 0, 0, 1 << 3, AT_COMMIT)); // flags before target
    for (int i = 0; i < bad.size(); i++) {
      assertEquals("INVALID_FLAGS", name(probeOnNew(bad.get(i)).state()), "case " + i);
    }
    // The valid special combination: IDLE_GTID with NEED_CPU_NOT_IDLE.
    assertEquals(
        "COMPLETE",
        name(probeOnNew(local(Gtid.IDLE, 0, 0, RunFlags.NEED_CPU_NOT_IDLE, AT_COMMIT)).state()));
  }

  // docs/KERNEL-MODEL.md 2.4 step 1: version != 0 is UNSUPPORTED_VERSION, then txn.cpu != run_cpu
  // is
  // INVALID_CPU. The port always writes both correctly, so the test corrupts the txn in the
  // shared cpu_data page after opening it, as a buggy agent could.
  @Test
  void corruptedVersionOrCpuIsUnsupportedVersionThenInvalidCpu() {
    Probe badVersionAndCpu =
        (ctx, m) -> {
          ctx.port.openTxn(0, gtid(1), ctx.aseq, ctx.seq(gtid(1)), 0, AT_COMMIT);
          m.cpus[0].txnVersion = 1;
          m.cpus[0].txnCpu = 5;
          ctx.port.commit(0);
        };
    Probe badCpu =
        (ctx, m) -> {
          ctx.port.openTxn(0, gtid(1), ctx.aseq, ctx.seq(gtid(1)), 0, AT_COMMIT);
          m.cpus[0].txnCpu = 5;
          ctx.port.commit(0);
        };
    assertEquals("UNSUPPORTED_VERSION", name(probeOnNew(badVersionAndCpu).state()));
    assertEquals("INVALID_CPU", name(probeOnNew(badCpu).state()));
  }

  // docs/KERNEL-MODEL.md 2.4 step 5 and 2.14 (3): a task running on another CPU is TARGET_ONCPU,
  // also
  // with ALLOW_TASK_ONCPU; with ALLOW_TASK_ONCPU on the CPU it runs on, the commit succeeds and the
  // task just stays there (no TASK_PREEMPT). The agent of CPU 1 owns the default queue and commits
  // task 1 remotely to CPU 0.
  @Test
  void taskRunningOnAnotherCpuIsTargetOnCpu() {
    Map<String, Integer> seen = new LinkedHashMap<>();
    int[] phase = {0};
    ScriptAgents a = new ScriptAgents(1);
    a.with(
        ctx -> {
          if (ctx.cpu == 0) {
            ctx.yieldCpu(0);
            return;
          }
          long g1 = gtid(1);
          if (newFor(ctx, g1)) {
            ctx.port.openTxn(0, g1, ctx.port.agentBarrier(0), ctx.seq(g1), 0, AT_COMMIT);
            ctx.port.commit(0);
          } else if (newFor(ctx, gtid(2))) {
            // Task 1 runs on CPU 0. Group commit: remote (CPU 0, allowed on its CPU) and local (CPU
            // 1).
            ctx.port.openTxn(
                0,
                g1,
                ctx.port.agentBarrier(0),
                ctx.seq(g1),
                0,
                AT_COMMIT | CommitFlags.ALLOW_TASK_ONCPU);
            ctx.port.openTxn(1, g1, ctx.aseq, ctx.seq(g1), 0, AT_COMMIT);
            ctx.port.commit(0, 1);
            phase[0] = 1;
          } else if (phase[0] == 1) {
            seen.put("remote", ctx.port.txnState(0));
            seen.put("local", ctx.port.txnState(1));
            ctx.port.openTxn(
                1, g1, ctx.aseq, ctx.seq(g1), 0, AT_COMMIT | CommitFlags.ALLOW_TASK_ONCPU);
            ctx.port.commit(1);
            phase[0] = 2;
          } else if (phase[0] == 2) {
            seen.put("localAllowed", ctx.port.txnState(1));
            ctx.runLocal(gtid(2));
            phase[0] = 3;
          } else {
            ctx.yieldCpu(0);
          }
        });
    Machine m =
        new Machine(config(2), workload(at(ghost(run(2 * MS)), 0), at(ghost(run(MS)), MS)), a);
    m.run();
    assertEquals("COMPLETE", name(seen.get("remote")));
    assertEquals("TARGET_ONCPU", name(seen.get("local")));
    assertEquals("TARGET_ONCPU", name(seen.get("localAllowed"))); // allowed only on its own CPU
    // Task 1 ran 0..2ms on CPU 0 without interruption; task 2 ran on CPU 1.
    assertEquals(
        List.of("TASK_NEW@0#1", "TASK_BLOCKED@2000000#2", "TASK_DEAD@2000000#3"), a.story(gtid(1)));
    assertEquals(new TaskDead(gtid(1), 0), a.of(gtid(1)).get(2).payload(TaskDead.class));
    assertEquals(new TaskDead(gtid(2), 1), a.of(gtid(2)).get(2).payload(TaskDead.class));
  }

  // docs/KERNEL-MODEL.md 2.4 step 7 and 2.10: a commit to a CPU whose agent died is NO_AGENT.
  @Test
  void commitToACpuWhoseAgentDiedIsNoAgent() {
    Map<String, Integer> seen = new LinkedHashMap<>();
    ScriptAgents a = new ScriptAgents(0);
    a.with(
        ctx -> {
          long g = gtid(1);
          if (newFor(ctx, g)) {
            ctx.port.openTxn(1, g, 0, ctx.seq(g), 0, AT_COMMIT);
            ctx.port.commit(1);
          } else if (ctx.now() == MS && !seen.containsKey("remote")) {
            seen.put("remote", ctx.port.txnState(1));
            ctx.runLocal(g);
          } else {
            ctx.yieldCpu(0);
          }
        });
    Machine m = new Machine(config(2), workload(at(ghost(run(MS)), MS)), a);
    m.at(500 * US, () -> m.killAgent(1));
    m.run();
    assertEquals("NO_AGENT", name(seen.get("remote")));
    assertEquals(
        List.of("TASK_NEW@1000000#1", "TASK_BLOCKED@2000000#2", "TASK_DEAD@2000000#3"),
        a.story(gtid(1)));
    assertEquals(new TaskDead(gtid(1), 0), a.of(gtid(1)).get(2).payload(TaskDead.class));
  }

  // docs/KERNEL-MODEL.md 2.4 step 11 and 2.9 (5): while CPU 0 runs a CFS task, a commit of a ghOSt
  // task
  // to it is CPU_UNAVAIL, and its agent's status word has BOOST_PRIO and no CPU_AVAIL.
  @Test
  void commitToACpuRunningCfsIsCpuUnavail() {
    Map<String, Integer> seen = new LinkedHashMap<>();
    ScriptAgents a = new ScriptAgents(1);
    a.with(
        ctx -> {
          if (ctx.cpu == 0) {
            ctx.yieldCpu(0);
            return;
          }
          long g = gtid(2); // task 1 is the CFS task
          if (newFor(ctx, g)) {
            seen.put("flags0", ctx.port.agentFlags(0));
            ctx.port.openTxn(0, g, ctx.port.agentBarrier(0), ctx.seq(g), 0, AT_COMMIT);
            ctx.port.commit(0);
          } else if (ctx.now() == MS && !seen.containsKey("remote")) {
            seen.put("remote", ctx.port.txnState(0));
            ctx.runLocal(g);
          } else {
            ctx.yieldCpu(0);
          }
        });
    Machine m =
        new Machine(config(2), workload(at(cfs(run(5 * MS)), 0), at(ghost(run(MS)), MS)), a);
    SimResult r = m.run();
    assertEquals("CPU_UNAVAIL", name(seen.get("remote")));
    assertEquals(
        StatusFlags.BOOST_PRIO,
        seen.get("flags0") & (StatusFlags.BOOST_PRIO | StatusFlags.CPU_AVAIL));
    assertEquals(
        List.of("TASK_NEW@1000000#1", "TASK_BLOCKED@2000000#2", "TASK_DEAD@2000000#3"),
        a.story(gtid(2)));
    assertEquals(new TaskDead(gtid(2), 1), a.of(gtid(2)).get(2).payload(TaskDead.class));
    assertEquals(5 * MS, r.endNs());
    assertEquals(5 * MS, m.cpuView(0).cfsBusyNs());
  }

  // docs/KERNEL-MODEL.md 2.4 step 12: a remote commit does not check the agent barrier (a garbage
  // value
  // succeeds), where the same garbage in a local commit is AGENT_STALE.
  @Test
  void remoteCommitDoesNotCheckTheAgentBarrier() {
    Map<String, Integer> seen = new LinkedHashMap<>();
    ScriptAgents a = new ScriptAgents(1);
    a.with(
        ctx -> {
          if (ctx.cpu == 0) {
            ctx.yieldCpu(0);
            return;
          }
          if (newFor(ctx, gtid(1))) {
            ctx.port.openTxn(
                0, gtid(1), ctx.port.agentBarrier(0) + 1000, ctx.seq(gtid(1)), 0, AT_COMMIT);
            ctx.port.commit(0);
          } else if (!seen.containsKey("remote")) {
            seen.put("remote", ctx.port.txnState(0));
            ctx.port.openTxn(1, gtid(2), ctx.aseq + 1000, ctx.seq(gtid(2)), 0, AT_COMMIT);
            ctx.port.commit(1);
          } else if (!seen.containsKey("local")) {
            seen.put("local", ctx.port.txnState(1));
            ctx.runLocal(gtid(2));
          } else {
            ctx.yieldCpu(0);
          }
        });
    new Machine(config(2), workload(at(ghost(run(MS)), 0, 0)), a).run();
    assertEquals("COMPLETE", name(seen.get("remote")));
    assertEquals("AGENT_STALE", name(seen.get("local")));
    assertEquals(
        List.of("TASK_NEW@0#1", "TASK_BLOCKED@1000000#2", "TASK_DEAD@1000000#3"), a.story(gtid(1)));
    assertEquals(new TaskDead(gtid(1), 0), a.of(gtid(1)).get(2).payload(TaskDead.class));
    assertEquals(new TaskDead(gtid(2), 1), a.of(gtid(2)).get(2).payload(TaskDead.class));
  }

  // docs/KERNEL-MODEL.md 1.9 (COMMIT_TXN: the caller's CPU last; if an earlier txn of the batch
  // failed,
  // the local txn is POISONED) and 2.4 (other final states).
  @Test
  void localTxnIsPoisonedWhenAnEarlierRemoteTxnOfTheSameCommitFailed() {
    Map<String, Integer> seen = new LinkedHashMap<>();
    ScriptAgents a = new ScriptAgents(1);
    a.with(
        ctx -> {
          if (ctx.cpu == 0) {
            ctx.yieldCpu(0);
            return;
          }
          long g = gtid(1);
          if (newFor(ctx, g)) {
            ctx.port.openTxn(0, UNKNOWN, ctx.port.agentBarrier(0), 1, 0, AT_COMMIT);
            ctx.port.openTxn(1, g, ctx.aseq, ctx.seq(g), 0, AT_COMMIT);
            ctx.port.commit(1, 0);
          } else if (!seen.containsKey("remote")) {
            seen.put("remote", ctx.port.txnState(0));
            seen.put("local", ctx.port.txnState(1));
            // The same group with a remote txn that succeeds (NULL_GTID on idle CPU 0).
            ctx.port.openTxn(0, Gtid.NULL, ctx.port.agentBarrier(0), 0, 0, AT_COMMIT);
            ctx.port.openTxn(1, g, ctx.aseq, ctx.seq(g), 0, AT_COMMIT);
            ctx.port.commit(1, 0);
          } else if (!seen.containsKey("remote2")) {
            seen.put("remote2", ctx.port.txnState(0));
            seen.put("local2", ctx.port.txnState(1));
            ctx.yieldCpu(0);
          } else {
            ctx.yieldCpu(0);
          }
        });
    new Machine(config(2), workload(at(ghost(run(MS)), 0)), a).run();
    assertEquals("TARGET_NOT_FOUND", name(seen.get("remote")));
    assertEquals("POISONED", name(seen.get("local")));
    assertEquals("COMPLETE", name(seen.get("remote2")));
    assertEquals("COMPLETE", name(seen.get("local2")));
    assertEquals(
        List.of("TASK_NEW@0#1", "TASK_BLOCKED@1000000#2", "TASK_DEAD@1000000#3"), a.story(gtid(1)));
    assertEquals(new TaskDead(gtid(1), 1), a.of(gtid(1)).get(2).payload(TaskDead.class));
  }

  // docs/KERNEL-MODEL.md 2.3 (Aseq item 4) and 2.6: a failed commit with
  // INC_AGENT_BARRIER_ON_FAILURE
  // increments the target CPU's agent barrier; without it the barrier stays.
  @Test
  void incAgentBarrierOnFailureMovesTheBarrierOfAFailedCommit() {
    Outcome with =
        probeOnNew(local(UNKNOWN, 0, 0, 0, AT_COMMIT | CommitFlags.INC_AGENT_BARRIER_ON_FAILURE));
    assertEquals("TARGET_NOT_FOUND", name(with.state()));
    assertEquals(with.aseqAtProbe() + 1, with.aseqNext());
    Outcome without = probeOnNew(local(UNKNOWN, 0, 0, 0, AT_COMMIT));
    assertEquals("TARGET_NOT_FOUND", name(without.state()));
    assertEquals(without.aseqAtProbe(), without.aseqNext());
  }

  // docs/KERNEL-MODEL.md 2.3 (Aseq item 3) and 2.6: a successful commit increments the target CPU's
  // agent
  // barrier unless ELIDE_AGENT_BARRIER_INC. Read at 500 us, while the task runs undisturbed.
  @Test
  void elideAgentBarrierIncKeepsTheBarrierOfASuccessfulCommit() {
    Outcome elided = probeOnNew(local(0, 0, 0, 0, AT_COMMIT | CommitFlags.ELIDE_AGENT_BARRIER_INC));
    assertEquals("COMPLETE", name(elided.state()));
    assertEquals(elided.aseqAtProbe(), elided.aseqAt500us());
    Outcome plain = probeOnNew(local(0, 0, 0, 0, AT_COMMIT));
    assertEquals("COMPLETE", name(plain.state()));
    assertEquals(plain.aseqAtProbe() + 1, plain.aseqAt500us());
    assertEquals(MS, plain.result().endNs());
  }

  // KERNEL-MODEL.md 2.4 step 5: validate_next_task checks inhibit_task_msgs before
  // task_has_ghost_policy, so a task that departed (it now runs in CFS) and whose status word the
  // agent has not freed yet is TARGET_STALE, even with the seqnum of its TASK_DEPARTED, and not
  // INVALID_TARGET. The agent pings itself so that its yield fails and it reads the outcome.
  @Test
  void departedTaskIsTargetStaleBeforeThePolicyCheck() {
    long g = gtid(1);
    Map<String, Integer> seen = new LinkedHashMap<>();
    boolean[] committed = {false};
    ScriptAgents a = new ScriptAgents(0);
    a.with(
        ctx -> {
          if (ctx.got(MessageType.TASK_NEW)) {
            ctx.runLocal(g);
            return;
          }
          if (ctx.got(MessageType.TASK_DEPARTED)) {
            ctx.port.openTxn(1, g, 0, ctx.seq(g), 0, AT_COMMIT); // CPU 1, the TASK_DEPARTED seqnum
            ctx.port.commit(1);
            ctx.port.ping(0);
            committed[0] = true;
          } else if (ctx.cpu == 0 && committed[0] && !seen.containsKey("state")) {
            seen.put("state", ctx.port.txnState(1));
            ctx.port.freeStatusWord(g);
          }
          ctx.yieldCpu(0);
        });
    Machine m =
        new Machine(
            config(2),
            workload(at(ghost(run(MS), dev.ghostgym.config.Step.Depart.INSTANCE, run(MS)), 0)),
            a);
    SimResult r = m.run();
    assertEquals(List.of("TASK_NEW@0#1", "TASK_DEPARTED@1000000#2"), a.story(g));
    assertEquals("TARGET_STALE", name(seen.get("state")));
    assertEquals(2 * MS, r.endNs(), "the departed task finishes in CFS");
  }

  // KERNEL-MODEL.md 2.4 step 11: ghost_can_schedule looks at the CPU's current task (rq->curr). A
  // CFS task that became runnable on CPU 0 at 5 us, while its agent was working, is not on the CPU,
  // so the agent's local commit of task 1 (landing at 10 us) succeeds and latches it; when the
  // agent blocks, CFS takes the CPU and the latch ends with TASK_PREEMPT{was_latched}
  // (prepare_task_switch). Under BOOST_PRIO the agent yields with RTLA_ON_IDLE and runs task 1
  // once CFS is done (10 us + 1 ms).
  @Test
  void commitRacingACfsWakeupLatchesAndIsThenPreemptedAsLatched() {
    long g = gtid(1);
    boolean[] runnable = {false};
    ScriptAgents a = new ScriptAgents(0);
    a.with(
        ctx -> {
          for (Message msg : ctx.drained) {
            if (msg.type() == MessageType.TASK_NEW || msg.type() == MessageType.TASK_PREEMPT)
              runnable[0] = true;
            if (msg.type() == MessageType.TASK_BLOCKED || msg.type() == MessageType.TASK_DEAD)
              runnable[0] = false;
          }
          if ((ctx.flags & StatusFlags.BOOST_PRIO) != 0 || !runnable[0]) {
            ctx.yieldCpu(runnable[0] ? RunFlags.RTLA_ON_IDLE : 0);
          } else {
            ctx.runLocal(g);
          }
        });
    Machine m =
        new Machine(
            config(1, Kit.localScheduleCost(10 * US)),
            workload(at(ghost(run(MS)), 0), at(cfs(run(MS)), 5 * US)),
            a);
    SimResult r = m.run();
    assertEquals("COMPLETE", name(a.on(0).get(1).txnState()), "the racing commit latched the task");
    assertEquals(
        List.of(
            "TASK_NEW@0#1",
            "TASK_PREEMPT@10000#2",
            "TASK_BLOCKED@2020000#3",
            "TASK_DEAD@2020000#4"),
        a.story(g));
    assertTrue(a.of(g).get(1).payload(TaskPreempt.class).wasLatched());
    assertEquals(MS, m.cpuView(0).cfsBusyNs());
    assertEquals(2020 * US, r.endNs());
  }
}
