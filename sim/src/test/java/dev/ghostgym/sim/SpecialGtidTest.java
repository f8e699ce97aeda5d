package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.cfs;
import static dev.ghostgym.sim.Kit.config;
import static dev.ghostgym.sim.Kit.ghost;
import static dev.ghostgym.sim.Kit.gtid;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.CpuNotIdle;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.TaskPreempt;
import dev.ghostgym.abi.TxnState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Commits of the special gtids (KERNEL-MODEL.md 2.4 step 13, from _ghost_commit_txn,
 * ghost_set_pnt_state, schedule_next, _pick_next_task_ghost and prepare_task_switch in the kernel's
 * ghost.c): IDLE_GTID latches the idle task, and with NEED_CPU_NOT_IDLE the agent hears
 * CPU_NOT_IDLE when a non-ghOSt task takes the CPU; AGENT_GTID is a ping.
 */
class SpecialGtidTest {
  private static final int AT_COMMIT = CommitFlags.COMMIT_AT_TXN_COMMIT;

  // CPU 1's agent owns the default queue. Task 1 (t=0) is committed to CPU 0. Task 2's TASK_NEW
  // (0.5 ms) makes CPU 1's agent commit IDLE_GTID with NEED_CPU_NOT_IDLE to CPU 0: at CPU 0's pick
  // the idle task runs, so task 1 is preempted (TASK_PREEMPT, not latched). The CFS task 3 that
  // arrives on CPU 0 at 1 ms then produces CPU_NOT_IDLE{cpu 0, next_gtid 3} for CPU 0's agent.
  @Test
  void idleGtidIdlesTheCpuAndNeedCpuNotIdleReportsTheNextNonGhostTask() {
    ScriptAgents a = new ScriptAgents(1);
    a.with(
        ctx -> {
          if (ctx.cpu == 1 && ctx.got(MessageType.TASK_NEW)) {
            boolean first = ctx.seq(gtid(2)) == 0;
            if (first) ctx.port.openTxn(0, gtid(1), 0, ctx.seq(gtid(1)), 0, AT_COMMIT);
            else ctx.port.openTxn(0, Gtid.IDLE, 0, 0, RunFlags.NEED_CPU_NOT_IDLE, AT_COMMIT);
            ctx.port.commit(0);
          }
          ctx.yieldCpu(0);
        });
    Machine m =
        new Machine(
            config(2).withDuration(3 * MS),
            workload(at(ghost(run(2 * MS)), 0), at(ghost(run(MS)), MS / 2), at(cfs(run(MS)), MS)),
            a);
    m.run();

    assertEquals(List.of("TASK_NEW@0#1", "TASK_PREEMPT@500000#2"), a.story(gtid(1)));
    assertFalse(a.of(gtid(1)).get(1).payload(TaskPreempt.class).wasLatched());
    List<ScriptAgents.Delivered> notIdle = a.ofType(MessageType.CPU_NOT_IDLE);
    assertEquals(1, notIdle.size());
    assertEquals(MS, notIdle.get(0).at());
    assertEquals(0, notIdle.get(0).cpu());
    assertEquals(new CpuNotIdle(0, gtid(3)), notIdle.get(0).payload(CpuNotIdle.class));
    assertEquals(
        MS / 2, m.cpuView(0).ghostBusyNs(), "CPU 0 ran task 1 until the idle task was picked");
    assertEquals(MS, m.cpuView(0).cfsBusyNs());
  }

  // The idle task already runs on an idle CPU: without ALLOW_TASK_ONCPU an IDLE_GTID commit there
  // is TARGET_ONCPU (validate_next_offcpu with next = rq->idle).
  @Test
  void idleGtidOnAnIdleCpuIsTargetOnCpu() {
    int[] state = {0};
    ScriptAgents a = new ScriptAgents(1);
    a.with(
        ctx -> {
          if (ctx.cpu == 1 && ctx.got(MessageType.TASK_NEW)) {
            ctx.port.openTxn(0, Gtid.IDLE, 0, 0, 0, AT_COMMIT);
            ctx.port.commit(0);
            ctx.runLocal(gtid(1));
            return;
          }
          if (ctx.cpu == 1 && state[0] == 0) state[0] = ctx.port.txnState(0);
          ctx.yieldCpu(0);
        });
    new Machine(config(2), workload(at(ghost(run(MS)), 0)), a).run();
    assertEquals(TxnState.TARGET_ONCPU.code(), state[0]);
  }

  // AGENT_GTID in a txn is a ping (schedule_next(AGENT_GTID)): the successful commit moves CPU 0's
  // agent barrier and the ping moves it again, and the agent runs at that instant (1 ms).
  @Test
  void agentGtidCommitPingsTheTargetAgent() {
    ScriptAgents a = new ScriptAgents(1);
    a.with(
        ctx -> {
          if (ctx.cpu == 1 && ctx.got(MessageType.TASK_NEW)) {
            ctx.port.openTxn(0, Gtid.AGENT, 0, 0, 0, AT_COMMIT);
            ctx.port.commit(0);
            ctx.runLocal(gtid(1));
            return;
          }
          ctx.yieldCpu(0);
        });
    new Machine(config(2), workload(at(ghost(run(MS)), MS)), a).run();
    List<ScriptAgents.Activation> cpu0 = a.on(0);
    ScriptAgents.Activation last = cpu0.get(cpu0.size() - 1);
    ScriptAgents.Activation before = cpu0.get(cpu0.size() - 2);
    assertEquals(MS, last.at(), "pinged at the commit");
    assertEquals(before.aseq() + 2, last.aseq(), "commit +1, ping +1");
    assertEquals(TxnState.COMPLETE.code(), last.txnState());
  }
}
