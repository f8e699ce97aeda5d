package dev.ghostgym.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.ghostfs.EnclaveHandle;
import dev.ghostgym.ghostfs.Ghostfs;
import dev.ghostgym.ghostfs.NativeException;
import dev.ghostgym.ghostfs.kerneldouble.DoubleEnclave;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The live agents ({@link LiveEnclave} over {@link KernelDevice}) against the kernel double at the
 * system-call boundary: every ghostfs string and ioctl argument the binding produces reaches the
 * double, which refuses what the kernel refuses. If {@code become agent}, {@code discover tasks},
 * the COMMIT_TXN mask or RUN's {@code run_cpu} were wrong, the agents would not start or would fail
 * and the tasks below would never run.
 */
class KernelDoubleLiveTest extends OverKernelDouble {
  private LiveEnclave start(String policy) {
    return start(policy, "1-2");
  }

  @Test
  void perCpuAgentsStartScheduleTasksAndShutDownOverTheKernelDouble() throws Exception {
    LiveEnclave live = start("fifo");
    DoubleEnclave enclave = kernel.enclave(1);
    assertTrue(enclave.hasAgent(1) && enclave.hasAgent(2), "both CPUs have an agent");
    assertTrue(enclave.online(), "agent_online is held");
    List<String> journal = kernel.journal();
    assertTrue(journal.contains("write ctl: create 1 91"), journal.toString());
    assertTrue(journal.contains("write enclave_1/cpulist: 1-2"), journal.toString());
    assertTrue(journal.contains("write enclave_1/ctl: discover tasks"), journal.toString());
    assertTrue(
        journal.stream()
                .filter(l -> l.matches("write enclave_1/ctl: become agent [12] \\d+"))
                .count()
            == 2,
        journal.toString());
    // Each CPU's queue wakes that CPU's agent (CONFIG_QUEUE_WAKEUP, one per queue); without it a
    // message would sit until the agent ran for another reason.
    assertEquals(
        2,
        journal.stream().filter("ioctl CONFIG_QUEUE_WAKEUP"::equals).count(),
        journal.toString());

    long a = Gtid.of(101, 1);
    long b = Gtid.of(102, 1);
    enclave.spawn(a, true);
    enclave.spawn(b, true);
    await(live, "both tasks run", () -> onSomeCpu(enclave, a) && onSomeCpu(enclave, b));
    assertNull(live.failure(), () -> "agent failure: " + live.failure() + "\n" + logBytes);

    enclave.block(a);
    assertFalse(onSomeCpu(enclave, a));
    enclave.wake(a);
    await(live, "the woken task runs again", () -> onSomeCpu(enclave, a));
    enclave.exit(b);
    // The running task that exits is blocked first (its last schedule), then dead.
    await(
        live,
        "TASK_BLOCKED then TASK_DEAD of the exiting task are delivered",
        () ->
            live.metrics() != null
                && live.metrics().messagesByType().getOrDefault("TASK_BLOCKED", 0L) == 2
                && live.metrics().messagesByType().getOrDefault("TASK_DEAD", 0L) == 1);
    await(
        live,
        "the dead task's word is freed",
        () ->
            enclave.dropped() == 0
                && live.metrics() != null
                && kernel.journal().contains("ioctl SW_FREE"));
    assertNull(live.failure(), () -> "agent failure: " + live.failure() + "\n" + logBytes);
    assertTrue(kernel.journal().contains("ioctl COMMIT_TXN"));
    // Every pass is timed, and the outcome of the txns the agents committed reaches the metrics
    // (GhostPort.beginPass reports them).
    assertTrue(live.passTimes().passes(1) > 0 && live.passTimes().passes(2) > 0);
    assertTrue(
        live.metrics().txnOutcomes().getOrDefault("COMPLETE", 0L) > 0,
        () -> live.metrics().txnOutcomes().toString());

    live.close();
    assertTrue(live.destroyed());
    assertTrue(kernel.journal().contains("write enclave_1/ctl: destroy"));
    assertFalse(Files.exists(kernel.root().resolve("enclave_1")), "the enclave directory is gone");
    assertEquals(0, kernel.openFds(), "ctl, queues, agent_online and timers are all closed");
  }

  // Start-up as lib/enclave.cc does it: every agent attaches, discovery runs, and only then do the
  // agents start their passes (WaitForEnclaveReady) and the process advertise itself online.
  // Shut-down as the C++ process exits: agent_online closed first, agents stopped, each agent's
  // status word freed once the kernel marked it CANFREE, then the enclave destroyed.
  @Test
  void startUpWaitsForTheEnclaveAndShutDownGoesOfflineFirst() throws Exception {
    LiveEnclave live = start("fifo");
    DoubleEnclave enclave = kernel.enclave(1);
    long a = Gtid.of(201, 1);
    enclave.spawn(a, true);
    await(live, "the task runs", () -> onSomeCpu(enclave, a));
    // A timer armed for a time already past fires at once (CPU_TIMER_EXPIRED), it does not disarm.
    live.device().timerfdSettime(1, 0, 77);
    await(
        live,
        "the past timer fired and was delivered",
        () -> live.metrics().messagesByType().getOrDefault("CPU_TIMER_EXPIRED", 0L) == 1);
    live.close();
    List<String> j = kernel.journal();
    int discover = j.indexOf("write enclave_1/ctl: discover tasks");
    int online = j.indexOf("open enclave_1/agent_online");
    int firstPass = firstIndex(j, "ioctl RUN", "ioctl COMMIT_TXN");
    assertTrue(discover >= 0 && discover < firstPass && discover < online, j.toString());
    int offline = j.indexOf("close enclave_1/agent_online");
    int freed = j.lastIndexOf("ioctl SW_FREE");
    int destroy = j.indexOf("write enclave_1/ctl: destroy");
    assertTrue(online < offline && offline < freed && freed < destroy, j.toString());
    assertEquals(
        2,
        j.subList(offline, destroy).stream().filter("ioctl SW_FREE"::equals).count(),
        "both agents' words freed after going offline: " + j);
    assertNull(live.failure());
  }

  // A ping the kernel refuses (no agent on that CPU) and an agent word the kernel will not name
  // are counted, not fatal.
  @Test
  void aFailedPingAndAnUnknownAgentWordAreNotFatal() {
    EnclaveHandle e = Ghostfs.open(kernel.root()).createEnclave(1, "1-2");
    try (KernelDevice dev = new KernelDevice(e)) {
      GhostPort port =
          new GhostPort(
              1, dev, new AgentMemory(dev.abi(), dev.statusWords(), dev.txns()), null, null);
      port.ping(2);
      assertEquals(1, port.failedPings());
      assertEquals(0, port.agentBarrier(2));
      assertEquals(0, port.agentFlags(2));
      assertEquals(2, port.unknownWords());
    }
  }

  // A task that is gone, as the kernel answers for it: GHOST_IOC_SW_GET_INFO is ENOENT when no task
  // has that gtid or its status word is gone, GHOST_IOC_GET_CPU_TIME is ESRCH (ghost_sw_get_info,
  // ghost_get_cpu_time in kernel/sched/ghost.c). ghost-userspace's GhostHelper (lib/ghost.h:
  // GetStatusWordInfo, GetTaskRuntime) returns that error and leaves its out-parameter alone; the
  // device says "none" (null, -1) and the port reads no word. Any other error is not "gone".
  @Test
  void aTaskThatIsGoneHasNoStatusWordAndNoCpuTime() {
    EnclaveHandle e = Ghostfs.open(kernel.root()).createEnclave(1, "1-2");
    KernelDevice dev = new KernelDevice(e);
    GhostDevice.QueueMapping q = dev.createQueue(64);
    dev.setDefaultQueue(q.fd());
    DoubleEnclave enclave = kernel.enclave(1);
    long a = Gtid.of(301, 1);
    enclave.spawn(a, true);
    enclave.charge(a, 2_500);
    SwInfo sw = dev.taskStatusWord(a);
    assertNotNull(sw);
    assertEquals(a, dev.statusWords().read(sw.index()).gtid(), "the task's own word");
    assertEquals(2_500, dev.cpuTime(a));
    GhostPort port =
        new GhostPort(
            1, dev, new AgentMemory(dev.abi(), dev.statusWords(), dev.txns()), null, null);
    assertEquals(dev.statusWords().barrier(sw.index()), port.taskBarrier(a));
    assertTrue((port.taskFlags(a) & StatusFlags.TASK_RUNNABLE) != 0);
    assertEquals(2_500, port.taskRuntime(a));

    int barrier = dev.statusWords().barrier(sw.index());
    assertEquals(-AbiConstants.ESTALE, dev.assocQueue(q.fd(), a, barrier - 1));
    assertEquals(0, dev.assocQueue(q.fd(), a, barrier));

    enclave.exit(a);
    assertEquals(-AbiConstants.ENOENT, dev.assocQueue(q.fd(), a, barrier), "ASSOC_QUEUE: gone");
    assertNull(dev.taskStatusWord(a), "ENOENT: no status word");
    assertEquals(-1, dev.cpuTime(a), "ESRCH: no such task");
    assertEquals(-1, port.taskRuntime(a));
    GhostPort fresh =
        new GhostPort(
            1, dev, new AgentMemory(dev.abi(), dev.statusWords(), dev.txns()), null, null);
    assertEquals(-1, fresh.taskBarrier(a), "a process that never learned the word finds none");
    assertEquals(0, fresh.taskFlags(a));

    assertEquals(91, dev.abi().number());
    long before = System.nanoTime();
    assertTrue(dev.now() >= before, "CLOCK_MONOTONIC, the clock of commit_time");
    assertFalse(dev.agentOnline());
    dev.advertiseOnline();
    assertTrue(dev.agentOnline());
    dev.withdrawOnline();
    assertFalse(dev.agentOnline());

    dev.close(); // its fds are closed: EBADF is an error, not a gone task
    assertEquals(0, kernel.openFds(), "ctl (the device's and the enclave's) and the queue");
    NativeException sw2 = assertThrows(NativeException.class, () -> dev.taskStatusWord(a));
    assertEquals(9, sw2.errno(), "EBADF");
    NativeException time = assertThrows(NativeException.class, () -> dev.cpuTime(a));
    assertEquals(9, time.errno(), "EBADF");
  }

  private static int firstIndex(List<String> j, String... lines) {
    for (int i = 0; i < j.size(); i++) if (List.of(lines).contains(j.get(i))) return i;
    return Integer.MAX_VALUE;
  }

  private static boolean onSomeCpu(DoubleEnclave e, long gtid) {
    return e.runningOn(1) == gtid || e.runningOn(2) == gtid;
  }
}
