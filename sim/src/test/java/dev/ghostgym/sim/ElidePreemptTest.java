package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.config;
import static dev.ghostgym.sim.Kit.ghost;
import static dev.ghostgym.sim.Kit.gtid;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TxnState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ELIDE_PREEMPT (docs/KERNEL-MODEL.md 2.2 and 2.6). */
class ElidePreemptTest {

  // docs/KERNEL-MODEL.md 2.2 (TASK_PREEMPT is suppressed if ELIDE_PREEMPT was set and a ghost
  // commit
  // replaced the task) and 2.3 (the barrier moves on every message *attempt*; with ELIDE_PREEMPT
  // the kernel makes none: pick_next_task_ghost clears check_prev_preemption instead). The agent of
  // CPU 0 runs task 1 on CPU 1 at 1 ms, replaces it at 2 ms by task 2 with ELIDE_PREEMPT, and when
  // task 2 exits at 3 ms commits task 1 again with the last seqnum it saw: that must succeed.
  @Test
  void elidedPreemptionSendsNothingAndLeavesTheBarrier() {
    List<String> log = new ArrayList<>();
    ScriptAgents a = new ScriptAgents(0);
    a.with(
        ctx -> {
          if (ctx.cpu == 0) {
            long g1 = gtid(1);
            for (Message m : ctx.drained) {
              long target = 0;
              int flags = 0;
              if (m.type() == MessageType.TASK_NEW) {
                target = m.gtid();
                flags = m.gtid() == gtid(2) ? RunFlags.ELIDE_PREEMPT : 0;
              } else if (m.type() == MessageType.TASK_DEAD) {
                ctx.port.freeStatusWord(m.gtid());
                if (m.gtid() == gtid(2)) target = g1;
              }
              if (target != 0) {
                log.add(
                    ctx.now() / MS
                        + "ms commit "
                        + target
                        + " #"
                        + ctx.seq(target)
                        + " barrier "
                        + ctx.port.taskBarrier(target));
                ctx.port.openTxn(
                    1, target, 0, ctx.seq(target), flags, CommitFlags.COMMIT_AT_TXN_COMMIT);
                ctx.port.commit(1);
                return;
              }
            }
            if (ctx.port.txnState(1) != TxnState.COMPLETE.code()) {
              log.add(ctx.now() / MS + "ms " + TxnState.of(ctx.port.txnState(1)));
            }
          }
          ctx.yieldCpu(0);
        });
    new Machine(config(2), workload(at(ghost(run(2 * MS)), MS), at(ghost(run(MS)), 2 * MS)), a)
        .run();

    assertEquals(
        List.of(
            "1ms commit 1 #1 barrier 1", "2ms commit 2 #1 barrier 1", "3ms commit 1 #1 barrier 1"),
        log);
    // Task 1 ran 1..2ms, was displaced silently, and ran its last 1 ms at 3..4ms.
    assertEquals(
        List.of("TASK_NEW@1000000#1", "TASK_BLOCKED@4000000#2", "TASK_DEAD@4000000#3"),
        a.story(gtid(1)));
    assertEquals(new TaskDead(gtid(1), 1), a.of(gtid(1)).get(2).payload(TaskDead.class));
    assertEquals(
        List.of("TASK_NEW@2000000#1", "TASK_BLOCKED@3000000#2", "TASK_DEAD@3000000#3"),
        a.story(gtid(2)));
  }
}
