package dev.ghostgym.actors.enclave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.actors.agent.CentralizedAgents;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.port.AgentHost;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent loop step by step: each {@code Activate} is one pass, run synchronously by a {@link
 * BehaviorTestKit}, against a scripted kernel; each kernel message type reaches the engine's
 * handler for it, which the calls the agent makes show.
 */
class CpuAgentTest {
  private FakeKernel kernel;
  private AgentHost engine;
  private BehaviorTestKit<CpuAgent.Command> agent;
  private TestInbox<CpuAgent.Activated> replies;
  private TestInbox<EnclaveSupervisor.AgentCrashed> crashes;

  @BeforeEach
  void setUp() {
    kernel = new FakeKernel(1);
    engine = Policies.create("fifo");
    engine.attach(kernel);
    assertEquals(List.of("becomeAgent 0 queue 0", "discover"), kernel.takeCalls());
    replies = TestInbox.create();
    crashes = TestInbox.create();
    agent =
        BehaviorTestKit.create(CpuAgent.create(0, CpuAgent.Role.AGENT, engine, crashes.getRef()));
  }

  /** One pass of the agent; returns the kernel calls it made, and checks it replied. */
  private List<String> pass() {
    agent.run(new CpuAgent.Activate(kernel, replies.getRef()));
    replies.expectMessage(new CpuAgent.Activated(0));
    return kernel.takeCalls();
  }

  @Test
  void eachKernelMessageReachesItsHandler() {
    kernel.newTask(7);
    assertEquals(
        List.of("assoc task 7 queue 0", "ping 0", "txn 0 task 7", "commit [0]"),
        pass(),
        "TASK_NEW: placed, queued, committed");
    kernel.blocked(7, 0);
    assertEquals(List.of("yield"), pass(), "TASK_BLOCKED: nothing to run");
    kernel.wakeup(7, 0);
    assertEquals(List.of("txn 0 task 7", "commit [0]"), pass(), "TASK_WAKEUP: runnable again");
    kernel.preempted(7, 0);
    assertEquals(
        List.of("txn 0 task 7", "commit [0]"), pass(), "TASK_PREEMPT: back in the run queue");
    kernel.yielded(7, 0);
    assertEquals(
        List.of("txn 0 task 7", "commit [0]"), pass(), "TASK_YIELD: back in the run queue");
    kernel.dead(7, 0);
    assertEquals(List.of("free task 7", "yield"), pass(), "TASK_DEAD: status word freed");
    kernel.newTask(8);
    kernel.departed(8, 0);
    List<String> calls = pass();
    assertTrue(calls.contains("free task 8"), "TASK_DEPARTED: status word freed: " + calls);
    assertFalse(calls.contains("txn 0 task 8"), "a departed task is not committed: " + calls);
  }

  @Test
  void aStaleCommitIsRetried() {
    kernel.newTask(9);
    assertEquals(List.of("assoc task 9 queue 0", "ping 0", "txn 0 task 9", "commit [0]"), pass());
    kernel.setTxnState(0, TxnState.AGENT_STALE); // a message arrived while the agent worked
    kernel.bumpAgentBarrier(0);
    assertEquals(List.of("txn 0 task 9", "commit [0]"), pass(), "the task is committed again");
    kernel.setTxnState(0, TxnState.COMPLETE);
    assertEquals(
        List.of("txn 0 task 9", "commit [0]"), pass(), "on the CPU now: the agent keeps it there");
  }

  @Test
  void underBoostPrioTheAgentYieldsAndAsksBackWhenTheCpuGoesIdle() {
    kernel.newTask(5);
    pass();
    kernel.preempted(5, 0); // CFS took the CPU
    kernel.setAgentFlags(0, StatusFlags.CPU_AVAIL | StatusFlags.BOOST_PRIO);
    assertEquals(
        List.of("yield RTLA_ON_IDLE"), pass(), "work pending: yield with RTLA_ON_IDLE, no commit");
    kernel.setAgentFlags(0, StatusFlags.CPU_AVAIL);
    assertEquals(List.of("txn 0 task 5", "commit [0]"), pass(), "CFS gone: the task runs again");
  }

  @Test
  void aSatelliteOnlyYields() {
    FakeKernel k = new FakeKernel(3);
    AgentHost centralized = Policies.create("centralized-fifo");
    centralized.attach(k);
    k.takeCalls();
    k.newTask(3);
    BehaviorTestKit<CpuAgent.Command> satellite =
        BehaviorTestKit.create(
            CpuAgent.create(2, CpuAgent.Role.SATELLITE, centralized, crashes.getRef()));
    satellite.run(new CpuAgent.Activate(k, replies.getRef()));
    replies.expectMessage(new CpuAgent.Activated(2));
    assertEquals(
        List.of("yield"), k.takeCalls(), "the satellite leaves the task to the global agent");
    BehaviorTestKit<CpuAgent.Command> global =
        BehaviorTestKit.create(
            CpuAgent.create(0, CpuAgent.Role.GLOBAL, centralized, crashes.getRef()));
    global.run(new CpuAgent.Activate(k, replies.getRef()));
    replies.expectMessage(new CpuAgent.Activated(0));
    assertEquals(
        List.of("txn 1 task 3", "commit [1]"),
        k.takeCalls(),
        "the global agent commits to an idle remote CPU");
  }

  // KERNEL-MODEL.md 2.7 and 2.9 (4), from ghost-userspace's FifoAgent::AgentThread and
  // FifoScheduler::PickNextGlobalCPU: a global agent that sees BOOST_PRIO (a CFS task wants its
  // CPU) makes another CPU whose agent word says CPU_AVAIL the global one, pings that agent and
  // yields its own CPU with RUN(NULL_GTID); that agent, activated by the ping, schedules from then
  // on (here it commits the queued task to the old global CPU's neighbour), and the old one only
  // yields.
  @Test
  void underBoostPrioTheGlobalAgentHandsItsCpuToAnAvailableOne() {
    FakeKernel k = new FakeKernel(3);
    CentralizedAgents engine = (CentralizedAgents) Policies.create("centralized-fifo");
    engine.attach(k);
    k.takeCalls();
    k.setAgentFlags(0, StatusFlags.BOOST_PRIO); // CFS wants CPU 0, the global CPU
    k.setAgentFlags(1, 0); // CPU 1 runs CFS too: not available
    k.setAgentFlags(2, StatusFlags.CPU_AVAIL);
    k.newTask(4);
    BehaviorTestKit<CpuAgent.Command> cpu0 =
        BehaviorTestKit.create(CpuAgent.create(0, CpuAgent.Role.GLOBAL, engine, crashes.getRef()));
    cpu0.run(new CpuAgent.Activate(k, replies.getRef()));
    replies.expectMessage(new CpuAgent.Activated(0));
    assertEquals(
        List.of("ping 2", "yield"), k.takeCalls(), "hand-off: ping CPU 2's agent, yield CPU 0");
    assertEquals(2, engine.globalCpu());
    assertEquals(1, engine.handOffs());

    BehaviorTestKit<CpuAgent.Command> cpu2 =
        BehaviorTestKit.create(
            CpuAgent.create(2, CpuAgent.Role.SATELLITE, engine, crashes.getRef()));
    k.setAgentFlags(1, StatusFlags.CPU_AVAIL); // CFS left CPU 1
    cpu2.run(new CpuAgent.Activate(k, replies.getRef()));
    replies.expectMessage(new CpuAgent.Activated(2));
    assertEquals(
        List.of("txn 1 task 4", "commit [1]"), k.takeCalls(), "CPU 2 is the global agent now");
    cpu0.run(new CpuAgent.Activate(k, replies.getRef()));
    replies.expectMessage(new CpuAgent.Activated(0));
    assertEquals(List.of("yield"), k.takeCalls(), "CPU 0's agent is a satellite now");
  }

  // ghost-userspace's PickNextGlobalCPU finds no CPU with CPU_AVAIL: the global agent keeps its
  // CPU and schedules as usual.
  @Test
  void withNoOtherCpuAvailableTheGlobalAgentKeepsItsCpu() {
    FakeKernel k = new FakeKernel(2);
    CentralizedAgents engine = (CentralizedAgents) Policies.create("centralized-fifo");
    engine.attach(k);
    k.takeCalls();
    k.setAgentFlags(0, StatusFlags.BOOST_PRIO);
    k.setAgentFlags(1, StatusFlags.CPU_AVAIL);
    k.newTask(4);
    BehaviorTestKit<CpuAgent.Command> cpu0 =
        BehaviorTestKit.create(CpuAgent.create(0, CpuAgent.Role.GLOBAL, engine, crashes.getRef()));
    cpu0.run(new CpuAgent.Activate(k, replies.getRef()));
    replies.expectMessage(new CpuAgent.Activated(0));
    assertEquals(List.of("ping 1", "yield"), k.takeCalls());
    k.setAgentFlags(0, 0);
    k.setAgentFlags(1, StatusFlags.BOOST_PRIO);
    BehaviorTestKit<CpuAgent.Command> cpu1 =
        BehaviorTestKit.create(
            CpuAgent.create(1, CpuAgent.Role.SATELLITE, engine, crashes.getRef()));
    cpu1.run(new CpuAgent.Activate(k, replies.getRef()));
    replies.expectMessage(new CpuAgent.Activated(1));
    assertEquals(List.of(), k.takeCalls(), "no CPU available: no hand-off, nothing to commit to");
    assertEquals(1, engine.globalCpu());
  }
}
