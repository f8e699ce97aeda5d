package dev.ghostgym.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.CpuTick;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.MessageView;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.port.Oracle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one agent's {@link GhostPort} sends to the kernel, pass by pass, over a {@link
 * RecordingDevice}: one COMMIT_TXN per pass naming each committed CPU once (the {@code cpu_set_t}
 * as ghost-userspace's {@code GhostHelper::Commit} passes it, lib/ghost.h), each txn's outcome
 * reported once when the kernel finished it, the RUN yield skipped after a successful local commit,
 * and the status words of tasks and agents asked for only when the process does not know them.
 */
class GhostPortTest {
  private static final int CPUS = 16;

  private final RecordingDevice dev = new RecordingDevice(CPUS);
  private final AgentMemory mem = new AgentMemory(dev.abi(), dev.statusWords(), dev.txns());
  private final List<String> heard = new ArrayList<>();
  private final PortListener listener =
      new PortListener() {
        @Override
        public void txn(int cpu, long gtid, int state, long commitTimeNs) {
          heard.add(cpu + " " + gtid + " " + TxnState.of(state) + " " + commitTimeNs);
        }

        @Override
        public void message(int cpu, MessageView m, long nowNs) {
          heard.add(m.type() + (m.record() == null ? " in place" : " record") + " on " + cpu);
        }

        @Override
        public void message(int cpu, Message m, long nowNs) {
          heard.add(m.type() + " as record on " + cpu);
        }
      };

  private GhostPort port(int cpu) {
    return new GhostPort(cpu, dev, mem, null, listener);
  }

  private void complete(int cpu, TxnState outcome, long at) {
    assertTrue(dev.kernel.claim(cpu, cpu), "txn of CPU " + cpu + " is READY");
    dev.kernel.complete(cpu, outcome, at, 1);
  }

  @Test
  void aCpuCommittedTwiceInAPassIsOneTxnReportedOnce() {
    GhostPort p = port(1);
    p.openTxn(9, 42, 3, 4, 0, 0);
    p.commit(9);
    p.commit(9, 9);
    p.finishPass();
    assertEquals(List.of("commit 9"), dev.calls);
    complete(9, TxnState.COMPLETE, 777);
    p.beginPass();
    assertEquals(List.of("9 42 COMPLETE 777"), heard, "one outcome for one txn");
    p.beginPass();
    assertEquals(1, heard.size(), "reported once");
    // The set is cleared after the pass: the next COMMIT_TXN names only its own CPUs.
    p.openTxn(2, 43, 3, 4, 0, 0);
    p.commit(2);
    p.finishPass();
    assertEquals("commit 2", dev.calls.get(1));
  }

  @Test
  void everyCpuOfAPassIsInOneCommitAndEachOutcomeIsReportedWhenItEnds() {
    GhostPort p = port(0);
    int[] cpus = {0, 3, 7, 8, 9, 15};
    for (int c : cpus) p.openTxn(c, 100 + c, 1, 2, 0, 0);
    p.commit(cpus);
    p.finishPass();
    assertEquals(List.of("commit 0 3 7 8 9 15"), dev.calls);
    // CPU 0 has claimed its txn (state 0): still in flight, like the READY ones.
    assertTrue(dev.kernel.claim(0, 0));
    for (int c : new int[] {3, 8, 9}) complete(c, TxnState.COMPLETE, 50 + c);
    p.beginPass();
    assertEquals(List.of("3 103 COMPLETE 53", "8 108 COMPLETE 58", "9 109 COMPLETE 59"), heard);
    dev.kernel.complete(0, TxnState.TARGET_STALE, 60, 1);
    complete(7, TxnState.COMPLETE, 61);
    complete(15, TxnState.CPU_UNAVAIL, 62);
    p.beginPass();
    assertEquals(
        List.of("0 100 TARGET_STALE 60", "7 107 COMPLETE 61", "15 115 CPU_UNAVAIL 62"),
        heard.subList(3, 6));
  }

  @Test
  void aCommitOutsideCpuDataIsRefusedAndItsEdgesAreNot() {
    GhostPort p = port(0);
    IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> p.commit(-1));
    assertEquals("commit txn: cpu expected 0..15, got -1", low.getMessage());
    IllegalArgumentException high =
        assertThrows(IllegalArgumentException.class, () -> p.commit(CPUS));
    assertEquals("commit txn: cpu expected 0..15, got 16", high.getMessage());
    p.openTxn(0, 1, 1, 1, 0, 0);
    p.openTxn(CPUS - 1, 2, 1, 1, 0, 0);
    p.commit(0, CPUS - 1);
    p.finishPass();
    assertEquals(List.of("commit 0 15"), dev.calls);
  }

  @Test
  void aPassWithoutCommitsOnlyYieldsAndAFailedYieldOtherThanStaleIsFatal() {
    GhostPort p = port(0);
    p.finishPass();
    assertEquals(List.of(), dev.calls, "an empty pass makes no system call");
    p.yield(7, RunFlags.RTLA_ON_IDLE);
    p.finishPass();
    assertEquals(List.of("run 0 7 0 " + RunFlags.RTLA_ON_IDLE), dev.calls);
    p.finishPass();
    assertEquals(1, dev.calls.size(), "a yield is issued once");
    dev.runAnswer = -AbiConstants.ESTALE;
    p.yield(8, 0);
    p.finishPass(); // the agent barrier moved: the agent just runs its next pass
    dev.runAnswer = -AbiConstants.EINVAL;
    p.yield(9, 0);
    IllegalStateException e = assertThrows(IllegalStateException.class, p::finishPass);
    assertEquals("run (yield) on CPU 0 failed: errno 22", e.getMessage());
  }

  @Test
  void aSuccessfulLocalCommitReplacesTheYieldAndAnythingElseDoesNot() {
    GhostPort p = port(1);
    // Local, successful: the agent was switched out and has run again, so it does not yield.
    p.openTxn(1, 10, 1, 1, 0, 0);
    p.commit(1);
    p.yield(1, 0);
    complete(1, TxnState.COMPLETE, 1);
    p.finishPass();
    assertEquals(List.of("commit 1"), dev.calls);
    // Local, failed: it yields.
    p.openTxn(1, 10, 1, 1, 0, 0);
    p.commit(1);
    p.yield(2, 0);
    complete(1, TxnState.TARGET_STALE, 2);
    p.finishPass();
    assertEquals(List.of("commit 1", "commit 1", "run 0 2 1 0"), dev.calls);
    // Remote, successful: it yields too.
    p.openTxn(2, 11, 1, 1, 0, 0);
    p.commit(2);
    p.yield(3, 0);
    complete(2, TxnState.COMPLETE, 3);
    p.finishPass();
    assertEquals(List.of("commit 2", "run 0 3 1 0"), dev.calls.subList(3, 5));
    assertThrows(IllegalStateException.class, () -> GhostPort.forSetup(dev, mem, null).yield(0, 0));
  }

  @Test
  void pingsCountOnlyTheOnesTheKernelRefused() {
    GhostPort p = port(0);
    p.ping(3);
    assertEquals(0, p.failedPings());
    assertEquals("run " + Gtid.AGENT + " 0 3 0", dev.calls.get(0));
    dev.runAnswer = -AbiConstants.EINVAL;
    p.ping(3);
    assertEquals(1, p.failedPings());
  }

  @Test
  void statusWordsAreAskedForOnlyWhileUnknownAndFreedOnce() {
    GhostPort p = port(0);
    dev.agentWords.put(2, 0);
    dev.words.write(0, new dev.ghostgym.ghostfs.StatusWord(6, StatusFlags.CPU_AVAIL, 0, 0, 0));
    assertEquals(6, p.agentBarrier(2));
    assertEquals(StatusFlags.CPU_AVAIL, p.agentFlags(2));
    assertEquals(1, dev.count("sw info agent 2"), "word 0 is known after the first ask");
    dev.agentWords.put(2, 7); // a new agent thread: a new word
    dev.words.write(7, new dev.ghostgym.ghostfs.StatusWord(8, StatusFlags.BOOST_PRIO, 0, 0, 0));
    p.becomeAgent(2, 5);
    assertEquals(1, dev.count("become agent 2 5"), "an agent thread's port does it at once");
    assertEquals(8, p.agentBarrier(2));
    assertEquals(StatusFlags.BOOST_PRIO, p.agentFlags(2));
    assertEquals(2, dev.count("sw info agent 2"));

    long g = Gtid.of(50, 1);
    dev.taskWord(g, 0, 9, StatusFlags.TASK_RUNNABLE);
    mem.learnTaskWord(g, 0, 0); // from its TASK_NEW
    assertEquals(9, p.taskBarrier(g));
    assertEquals(StatusFlags.F_INUSE | StatusFlags.TASK_RUNNABLE, p.taskFlags(g));
    assertEquals(0, dev.count("sw info task"), "a word from TASK_NEW is never asked for");
    p.freeStatusWord(g);
    assertEquals("sw free 0 0", dev.calls.get(dev.calls.size() - 1));
    assertEquals(0, dev.count("sw info task"), "freed by the word it knows, word 0 too");
    assertEquals(-1, mem.taskWord(g), "forgotten once freed");

    long unknown = Gtid.of(51, 1);
    dev.taskWord(unknown, 3, 4, 0);
    assertEquals(4, p.taskBarrier(unknown));
    assertEquals(StatusFlags.F_INUSE, p.taskFlags(unknown));
    assertEquals(1, dev.count("sw info task " + unknown), "asked once, then known");
  }

  // GHOST_IOC_SW_GET_INFO answers ENOENT for a task that is gone (ghost_sw_get_info in
  // kernel/sched/ghost.c); the device gives null and the port answers as for no word at all.
  @Test
  void aTaskWithoutAStatusWordReadsBarrierMinusOneAndNoFlags() {
    GhostPort p = port(0);
    long gone = Gtid.of(60, 1);
    assertEquals(-1, p.taskBarrier(gone));
    assertEquals(0, p.taskFlags(gone));
    assertEquals(2, dev.count("sw info task " + gone), "asked again each time: it may appear");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> p.freeStatusWord(gone));
    assertTrue(e.getMessage().contains("EINVAL, no status word for gtid " + gone), e.getMessage());
  }

  @Test
  void messagesAreDecodedInPlaceUnlessTheDeviceOrAListenerWantsRecords() {
    GhostPort setup = GhostPort.forSetup(dev, mem, null);
    int q = setup.createQueue(64);
    GhostPort p = port(2);
    MessageView view = new MessageView();
    long g = Gtid.of(70, 1);
    dev.producer.produce(
        new Message(MessageType.TASK_NEW, 3, new TaskNew(g, 0, 0, true, 0, new SwInfo(0, 4), 0)));
    dev.producer.produce(new Message(MessageType.CPU_TICK, 4, new CpuTick(2, false)));
    assertTrue(p.pollInto(q, view));
    assertNull(view.record(), "decoded in place");
    assertEquals(4, mem.taskWord(g), "TASK_NEW's word learned");
    assertTrue(p.pollInto(q, view));
    assertEquals(MessageType.CPU_TICK, view.type());
    assertEquals(2, view.cpu());
    assertNull(view.record(), "a CPU message too");
    assertFalse(p.pollInto(q, view));
    assertEquals(List.of("TASK_NEW in place on 2", "CPU_TICK in place on 2"), heard);

    dev.checks = true; // the emulated kernel checks every message it wrote: records
    dev.producer.produce(new Message(MessageType.CPU_TICK, 5, new CpuTick(2, false)));
    assertTrue(p.pollInto(q, view));
    assertNotNull(view.record());
    assertEquals("delivered CPU_TICK", dev.calls.get(dev.calls.size() - 1));
    assertEquals("CPU_TICK as record on 2", heard.get(2));
    assertFalse(p.pollInto(q, view), "empty");
  }

  @Test
  void queuesAreFoundByFdAndAnUnknownFdIsNamed() {
    assertEquals(dev.abi(), mem.abi());
    GhostPort setup = GhostPort.forSetup(dev, mem, null);
    int q = setup.createQueue(64); // fd 5
    dev.producer.produce(new Message(MessageType.CPU_TICK, 1, new CpuTick(0, false)));
    dev.producer.produce(new Message(MessageType.CPU_TICK, 2, new CpuTick(0, false)));
    assertEquals(5, q);
    // The ring table starts with 16 fds: fd 16 makes it grow.
    mem.addRing(16, mem.ring(q));
    assertSame(mem.ring(q), mem.ring(16));
    for (int fd : new int[] {-1, 0, 17, 32, 1_000}) { // 32: the table's length now
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mem.ring(fd));
      assertEquals(
          "queue: no queue with fd " + fd + " was created by this agent process", e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> mem.addRing(-1, mem.ring(q)));
    MessageView view = new MessageView();
    assertTrue(port(0).pollInto(16, view), "the same ring under its second fd");
    assertEquals(1, view.seqnum());
  }

  @Test
  void kernelCallsPassThroughWithTheKernelsAnswers() {
    Oracle oracle =
        new Oracle() {
          @Override
          public long remainingNs(long gtid) {
            return 1;
          }

          @Override
          public long burstNs(long gtid) {
            return 2;
          }

          @Override
          public long deadlineNs(long gtid) {
            return 3;
          }
        };
    GhostPort p = new GhostPort(0, dev, mem, oracle, null);
    assertSame(oracle, p.oracle());
    assertEquals(5_000, p.now());
    dev.assocAnswer = -AbiConstants.ESTALE;
    assertEquals(-AbiConstants.ESTALE, p.assocQueue(7, 5, 2));
    assertEquals("assoc 7 to 5 at 2", dev.calls.get(0));
    p.discoverTasks();
    assertEquals("discover tasks", dev.calls.get(1));
    GhostPort setup = GhostPort.forSetup(dev, mem, null);
    assertFalse(setup.discoverRequested());
    setup.discoverTasks();
    setup.becomeAgent(3, 5);
    assertTrue(setup.discoverRequested());
    assertEquals(2, dev.calls.size(), "the setup port records, the agent threads do them");
    assertEquals(
        List.of(3, 5), List.of(setup.agentRequests().get(0)[0], setup.agentRequests().get(0)[1]));
    p.pollAt(99);
    p.spend(12);
    p.timerAt(1, 1_000, 4);
    assertEquals(List.of("poll at 99", "charge 12", "timer 1 1000 4"), dev.calls.subList(2, 5));
    assertThrows(IllegalArgumentException.class, () -> p.spend(-1));
    p.spend(0);
    assertEquals("charge 0", dev.calls.get(5));
  }
}
