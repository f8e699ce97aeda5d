package dev.ghostgym.emulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.ghostfs.StatusWord;
import dev.ghostgym.live.GhostPort;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimResult;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the agents find in the emulated kernel's memory, checked while a run goes on. */
class EmulatedKernelTest {

  /** The per-CPU FIFO agents, with every port call watched. */
  private static final class Watched implements AgentHost {
    final AgentHost inner = Policies.create("fifo", Map.of(), 1);
    final EmulatedKernel k;
    long taskNews;
    long settled;
    long claimedSeen;
    int[] committedTo = new int[16];

    Watched(EmulatedKernel k) {
      this.k = k;
      Arrays.fill(committedTo, -1);
    }

    @Override
    public void attach(KernelPort port) {
      inner.attach(port);
    }

    @Override
    public void activate(int cpu, KernelPort port) {
      assertTrue(port instanceof GhostPort, "the agents get a GhostPort, not the machine's port");
      // The txn this agent committed last pass has its final state in cpu_data now.
      if (committedTo[cpu] >= 0) {
        int state = k.txns().state(cpu);
        assertTrue(state < 0, "txn of CPU " + cpu + " is final in memory: " + state);
        settled++;
      }
      committedTo[cpu] = -1;
      inner.activate(cpu, watch(cpu, (GhostPort) port));
    }

    private KernelPort watch(int cpu, GhostPort p) {
      return (KernelPort)
          Proxy.newProxyInstance(
              KernelPort.class.getClassLoader(),
              new Class<?>[] {KernelPort.class},
              (proxy, method, args) -> {
                Object r;
                try {
                  r = method.invoke(p, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
                if (method.getName().equals("poll")
                    && r instanceof Message m
                    && m.type() == MessageType.TASK_NEW) {
                  TaskNew t = (TaskNew) m.payload();
                  StatusWord w = k.statusWords().read(t.swInfo().index());
                  assertEquals(t.gtid(), w.gtid(), "TASK_NEW's sw_info points at the task's word");
                  assertEquals(p.taskBarrier(t.gtid()), w.barrier());
                  assertTrue(
                      w.barrier() - m.seqnum() >= 0,
                      "the barrier is at least the message's seqnum");
                  assertTrue((w.flags() & StatusFlags.F_ALLOCATED) != 0);
                  taskNews++;
                }
                if (method.getName().equals("commit")) {
                  for (int c : (int[]) args[0]) committedTo[c] = c;
                }
                if (method.getName().equals("txnState") && TxnState.isClaimed((Integer) r))
                  claimedSeen++;
                return r;
              });
    }
  }

  @Test
  void statusWordsAndTxnsAreMirroredIntoTheRealLayouts() {
    EmulatedKernel k = Runs.kernel(AbiVersion.V90, 0);
    Watched agents = new Watched(k);
    Machine m =
        k.boot(
            Runs.config(2, 5, Overheads.PAPER, 2_000),
            Runs.workload("rocksdb-shinjuku", Map.of(), 2),
            k.inline(agents, null));
    SimResult r = m.run();
    assertEquals(2_000, r.metrics().completed());
    assertEquals(2_000, agents.taskNews, "one TASK_NEW per task, each checked against its word");
    assertTrue(agents.settled > 2_000, "settled txns: " + agents.settled);
    assertEquals(0, agents.claimedSeen, "an agent never finds its txn still claimed");
    // Dead tasks' words were freed and reused: far fewer words than tasks are in use at the end.
    assertTrue(
        k.statusWords().available() > k.statusWords().capacity() - 100,
        "free words: " + k.statusWords().available());
  }

  // The agents' decode is checked against what the kernel wrote: a different record is an error
  // naming both.
  @Test
  void aMessageDecodedDifferentlyFromWhatWasWrittenIsAnError() {
    EmulatedKernel k = Runs.kernel(AbiVersion.V91, 0);
    AgentHost tampering =
        new AgentHost() {
          final AgentHost inner = Policies.create("fifo", Map.of(), 1);
          int fd = -1;

          @Override
          public void attach(KernelPort port) {
            inner.attach(port);
            fd = 100; // the first queue the agents created (CPU 0's, the default queue)
          }

          @Override
          public void activate(int cpu, KernelPort port) {
            if (cpu == 0 && k.pump(fd)) {
              k.delivered(fd, new Message(MessageType.TASK_DEAD, 99, new TaskDead(12345, 0)));
            }
            inner.activate(cpu, port);
          }
        };
    Machine m =
        k.boot(
            Runs.config(2, 5, Overheads.PAPER, 10),
            Runs.workload("rocksdb-shinjuku", Map.of(), 2),
            k.inline(tampering, null));
    IllegalStateException e = assertThrows(IllegalStateException.class, m::run);
    assertTrue(
        e.getMessage()
            .startsWith(
                "emulated queue fd 100: the agent decoded Message[type=TASK_DEAD, seqnum=99"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("but the kernel wrote Message[type=TASK_NEW"), e.getMessage());
  }

  @Test
  void ringSlotsMustBeAPowerOfTwo() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new EmulatedKernel(new EmulatedKernel.Options(AbiVersion.V91, 24)));
    assertEquals("ring slots: expected 0 or a power of two, got 24", e.getMessage());
  }
}
