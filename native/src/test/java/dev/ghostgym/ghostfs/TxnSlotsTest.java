package dev.ghostgym.ghostfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.CommitFlags;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.TxnState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The txn protocol over cpu_data: open, claim, complete, abort, and the bytes at the layout
 * offsets.
 */
class TxnSlotsTest {

  private static ByteBuffer cpuData(int cpus) {
    return ByteBuffer.allocateDirect(cpus * 4096);
  }

  @Test
  void formattedSlotsAreInTheKernelsInitialState() {
    TxnSlots slots = TxnSlots.format(cpuData(4));
    assertEquals(4, slots.cpus());
    for (int cpu = 0; cpu < 4; cpu++) {
      Txn t = slots.read(cpu);
      assertEquals(0, t.version());
      assertEquals(cpu, t.cpu());
      assertEquals(TxnState.COMPLETE.code(), t.state());
      assertEquals(-1, t.syncGroupOwner());
      assertTrue(slots.committed(cpu));
    }
  }

  @Test
  void openWritesEveryFieldAtItsOffsetThenReady() {
    ByteBuffer mem = cpuData(4);
    TxnSlots slots = TxnSlots.format(mem);
    int runFlags = RunFlags.RTLA_ON_IDLE | RunFlags.DO_NOT_PREEMPT;
    int commitFlags = CommitFlags.COMMIT_AT_TXN_COMMIT | CommitFlags.INC_AGENT_BARRIER_ON_FAILURE;
    slots.open(2, 0x7766_5544_3322_1100L, 0xF000_0001, 12345, runFlags, commitFlags);
    Struct txn = Layouts.of(AbiVersion.V91).struct("ghost_txn");
    ByteBuffer le = mem.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int base = 2 * 4096;
    assertEquals(2, le.getInt(base + txn.offset("cpu")));
    assertEquals(Integer.MAX_VALUE, le.getInt(base + txn.offset("state")), "READY = INT_MAX");
    assertEquals(0xF000_0001, le.getInt(base + txn.offset("agent_barrier")));
    assertEquals(12345, le.getInt(base + txn.offset("task_barrier")));
    assertEquals(runFlags, le.getShort(base + txn.offset("run_flags")) & 0xffff);
    assertEquals(commitFlags, le.get(base + txn.offset("commit_flags")) & 0xff);
    assertEquals(0x7766_5544_3322_1100L, le.getLong(base + txn.offset("gtid")));
    assertEquals(0x7766_5544_3322_1100L, slots.gtid(2));
    assertEquals(0, slots.gtid(1), "another CPU's txn names no task");
    assertEquals(TxnState.READY.code(), slots.state(2));
    assertFalse(slots.committed(2));
    assertEquals(TxnState.COMPLETE.code(), slots.state(1), "other CPUs untouched");
    Txn t = slots.read(2);
    assertEquals(
        new Txn(
            0,
            2,
            Integer.MAX_VALUE,
            0xF000_0001,
            12345,
            runFlags,
            commitFlags,
            0x7766_5544_3322_1100L,
            0,
            0,
            -1),
        t);
  }

  @Test
  void kernelClaimsAndCompletesThenTheAgentReadsTheOutcome() {
    ByteBuffer mem = cpuData(2);
    TxnSlots slots = TxnSlots.format(mem);
    TxnKernel kernel = new TxnKernel(slots);
    slots.open(1, 42, 7, 9, 0, CommitFlags.COMMIT_AT_TXN_COMMIT);
    slots.setOpenPatienceNs(5_000_000L);
    IllegalStateException busy =
        assertThrows(IllegalStateException.class, () -> slots.open(1, 43, 7, 9, 0, 0));
    assertTrue(
        busy.getMessage().startsWith("txn of cpu 1 is still READY after 5 ms"), busy.getMessage());
    assertTrue(kernel.claim(1, 0), "CAS READY -> claiming cpu 0");
    assertEquals(0, slots.state(1));
    assertFalse(slots.committed(1));
    assertThrows(
        IllegalArgumentException.class, () -> slots.outcome(1), "claimed is not an outcome");
    assertFalse(slots.abort(1), "too late to abort a claimed txn");
    assertFalse(kernel.claim(1, 1), "claimed only once");
    kernel.complete(1, TxnState.COMPLETE, 1_000_000_007L, 0x1_0000_0002L);
    assertTrue(slots.committed(1));
    assertEquals(TxnState.COMPLETE, slots.outcome(1));
    assertEquals(1_000_000_007L, slots.commitTime(1));
    assertEquals(0x1_0000_0002L, slots.cpuSeqnum(1));
    ByteBuffer le = mem.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1_000_000_007L, le.getLong(4096 + 32), "commit_time at 32");
    assertEquals(0x1_0000_0002L, le.getLong(4096 + 40), "cpu_seqnum at 40");
    slots.open(1, 43, 8, 10, 0, 0);
    assertTrue(kernel.claim(1, 1));
    kernel.complete(1, TxnState.AGENT_STALE, 5, 6);
    assertEquals(TxnState.AGENT_STALE, slots.outcome(1));
    kernel.setSyncGroupOwner(1, 0);
    assertEquals(0, le.getInt(4096 + 48), "u.sync_group_owner at 48");
  }

  // Opening over a txn the kernel has not finished waits until it is (RunRequest::Open).
  @Test
  void openWaitsForThePreviousTxnToFinish() throws Exception {
    TxnSlots slots = TxnSlots.format(cpuData(2));
    TxnKernel kernel = new TxnKernel(slots);
    slots.open(1, 42, 7, 9, 0, 0);
    assertTrue(kernel.claim(1, 0));
    Thread finisher =
        new Thread(
            () -> {
              try {
                Thread.sleep(30);
              } catch (InterruptedException e) {
                return;
              }
              kernel.complete(1, TxnState.COMPLETE, 11, 12);
            });
    finisher.start();
    slots.open(1, 43, 8, 10, 0, 0);
    assertEquals(12, slots.cpuSeqnum(1), "the open came after the previous txn completed");
    assertEquals(TxnState.READY.code(), slots.state(1));
    assertEquals(43, slots.read(1).gtid());
    finisher.join();
  }

  @Test
  void abortWinsOverAnUnclaimedTxn() {
    TxnSlots slots = TxnSlots.format(cpuData(1));
    TxnKernel kernel = new TxnKernel(slots);
    slots.open(0, 42, 1, 1, 0, 0);
    assertTrue(slots.abort(0), "CAS READY -> ABORTED");
    assertEquals(TxnState.ABORTED, slots.outcome(0));
    assertEquals(Integer.MIN_VALUE + 1, slots.state(0));
    assertFalse(kernel.claim(0, 0), "the kernel cannot claim an aborted txn");
    assertFalse(slots.abort(0), "abort only from READY");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> kernel.complete(0, TxnState.COMPLETE, 1, 1));
    assertTrue(e.getMessage().contains("is ABORTED, not claimed"), e.getMessage());
    slots.open(0, 44, 2, 2, 0, 0);
    assertEquals(TxnState.READY, slots.outcome(0), "a finished txn can be reopened");
  }

  @Test
  void badArgumentsAreNamed() {
    TxnSlots slots = TxnSlots.format(cpuData(2));
    assertThrows(IndexOutOfBoundsException.class, () -> slots.open(2, 1, 1, 1, 0, 0));
    IllegalArgumentException flags =
        assertThrows(IllegalArgumentException.class, () -> slots.open(0, 1, 1, 1, 0x10000, 0));
    assertTrue(flags.getMessage().contains("run_flags is 16 bits"), flags.getMessage());
    assertThrows(IllegalArgumentException.class, () -> slots.open(0, 1, 1, 1, 0, 0x100));
    assertThrows(
        IllegalArgumentException.class, () -> new TxnSlots(ByteBuffer.allocateDirect(5000)));
    assertThrows(
        IllegalArgumentException.class, () -> new TxnKernel(slots).claim(0, Integer.MAX_VALUE));
  }

  @Test
  void agentAndKernelOnTwoThreadsSeeEachOthersWrites() throws Exception {
    TxnSlots slots = TxnSlots.format(cpuData(1));
    TxnKernel kernel = new TxnKernel(slots);
    int n = 20_000;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    // Under heavy load (or PIT's instrumentation) the deadline may end the run early: every txn
    // that did round-trip is checked, and the kernel thread stops with the agent.
    AtomicBoolean agentDone = new AtomicBoolean();
    Thread k =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < n; i++) {
                  while (!kernel.claim(0, 0)) {
                    if (agentDone.get()) return;
                    Thread.yield(); // not onSpinWait: two spinners on a busy 2-core machine starve
                    // each other
                  }
                  Txn t = kernel.read(0);
                  if (t.gtid() != i + 1L || t.taskBarrier() != i) {
                    throw new AssertionError(
                        "kernel saw gtid "
                            + t.gtid()
                            + " barrier "
                            + t.taskBarrier()
                            + " for txn "
                            + i);
                  }
                  kernel.complete(
                      0, i % 2 == 0 ? TxnState.COMPLETE : TxnState.TARGET_STALE, 1000L + i, i);
                }
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    k.start();
    long deadline = System.nanoTime() + 20_000_000_000L;
    int done = 0;
    for (int i = 0; i < n && failure.get() == null && System.nanoTime() < deadline; i++) {
      slots.open(0, i + 1L, 0, i, 0, CommitFlags.COMMIT_AT_TXN_COMMIT);
      while (!slots.committed(0) && failure.get() == null) {
        Thread.yield(); // not onSpinWait: two spinners on a busy 2-core machine starve each other
      }
      if (failure.get() == null) {
        assertEquals(i % 2 == 0 ? TxnState.COMPLETE : TxnState.TARGET_STALE, slots.outcome(0));
        assertEquals(1000L + i, slots.commitTime(0));
        assertEquals(i, slots.cpuSeqnum(0));
        done++;
      }
    }
    agentDone.set(true);
    k.join(5000);
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    assertFalse(k.isAlive());
    assertTrue(done >= 100, "only " + done + " txns round-tripped");
  }

  // A state >= 0 is the CPU that claimed the txn: claimed by CPU 0 is still in flight.
  @Test
  void aTxnClaimedByCpu0IsStillInFlightAndOpenGivesUpAfterItsPatience() {
    TxnSlots slots = TxnSlots.format(cpuData(2));
    TxnKernel kernel = new TxnKernel(slots);
    slots.open(1, 42, 7, 9, 0, 0);
    assertTrue(kernel.claim(1, 0));
    assertEquals(0, slots.state(1));
    slots.setOpenPatienceNs(20_000_000);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> slots.open(1, 43, 8, 10, 0, 0));
    assertEquals(
        "txn of cpu 1 is still claimed by cpu 0 after 20 ms; it must be committed before another"
            + " is opened",
        e.getMessage());
    assertEquals(42, slots.read(1).gtid(), "the claimed txn is untouched");
  }

  @Test
  void aCpuOutsideCpuDataIsNamed() {
    TxnSlots slots = TxnSlots.format(cpuData(2));
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> slots.read(2));
    assertEquals("cpu 2 outside cpu_data's 0..1", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> slots.state(-1));
    assertEquals(1, slots.read(1).cpu());
  }
}
