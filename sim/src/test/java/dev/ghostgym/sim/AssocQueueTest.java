package dev.ghostgym.sim;

import static dev.ghostgym.sim.Kit.MS;
import static dev.ghostgym.sim.Kit.at;
import static dev.ghostgym.sim.Kit.config;
import static dev.ghostgym.sim.Kit.ghost;
import static dev.ghostgym.sim.Kit.gtid;
import static dev.ghostgym.sim.Kit.run;
import static dev.ghostgym.sim.Kit.sleep;
import static dev.ghostgym.sim.Kit.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AssocFlags;
import dev.ghostgym.abi.MessageType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GHOST_IOC_ASSOC_QUEUE (docs/KERNEL-MODEL.md sections 1.5 and 2.3, queue re-association). */
class AssocQueueTest {

  // docs/KERNEL-MODEL.md 1.5 and 2.3: ASSOC_QUEUE succeeds only with the task's current barrier
  // (else
  // -ESTALE), reports SF_ALREADY when the task is already there, moves the task's later messages
  // to the new queue, and returns -ENOENT for a dead task (before and after SW_FREE).
  @Test
  void assocNeedsTheCurrentBarrierAndMovesLaterMessages() {
    long g = gtid(1);
    Map<String, Integer> r = new LinkedHashMap<>();
    ScriptAgents a = new ScriptAgents(0);
    Fifo fifo = new Fifo(a, x -> 1);
    a.with(
        ctx -> {
          int q0 = ctx.queueOf(0);
          int q1 = ctx.queueOf(1);
          if (ctx.cpu == 0 && ctx.got(MessageType.TASK_NEW)) {
            r.put("behind", ctx.port.assocQueue(g, q1, 0));
            r.put("ahead", ctx.port.assocQueue(g, q1, 2));
            r.put("current", ctx.port.assocQueue(g, q1, 1));
            r.put("again", ctx.port.assocQueue(g, q1, 1));
          }
          boolean dead = ctx.got(MessageType.TASK_DEAD);
          if (dead) r.put("dead", ctx.port.assocQueue(g, q0, ctx.seq(g)));
          fifo.act(ctx); // frees the status word on TASK_DEAD
          if (dead) r.put("freed", ctx.port.assocQueue(g, q0, ctx.seq(g)));
        });
    new Machine(config(2), workload(at(ghost(run(MS), sleep(MS), run(MS)), 0)), a).run();

    assertEquals(-AbiConstants.ESTALE, r.get("behind"));
    assertEquals(-116, r.get("behind"));
    assertEquals(-AbiConstants.ESTALE, r.get("ahead"));
    assertEquals(0, r.get("current"));
    assertEquals(AssocFlags.ASSOC_SF_ALREADY, r.get("again"));
    assertEquals(-AbiConstants.ENOENT, r.get("dead"));
    assertEquals(-AbiConstants.ENOENT, r.get("freed"));
    // TASK_NEW came on the default queue (CPU 0); everything after the move on CPU 1's queue.
    List<String> where = new ArrayList<>();
    for (ScriptAgents.Delivered d : a.of(g)) where.add(d.type() + "@" + d.at() + " cpu" + d.cpu());
    assertEquals(
        List.of(
            "TASK_NEW@0 cpu0",
            "TASK_BLOCKED@1000000 cpu1",
            "TASK_WAKEUP@2000000 cpu1",
            "TASK_BLOCKED@3000000 cpu1",
            "TASK_DEAD@3000000 cpu1"),
        where);
  }
}
