package dev.ghostgym.ghostfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Ioctl;
import dev.ghostgym.abi.SwInfo;
import org.junit.jupiter.api.Test;

/**
 * Ioctl argument structs: each field lands at its §1.3 offset, and the sizes match the request
 * codes.
 */
class IoctlArgsTest {

  @Test
  void structSizesMatchTheSizeEncodedInEachRequest() {
    Layout l = Layouts.of(AbiVersion.V91);
    assertEquals(Ioctl.SW_GET_INFO.size(), l.struct("ghost_ioc_sw_get_info").size());
    assertEquals(Ioctl.SW_FREE.size(), l.struct("ghost_sw_info").size());
    assertEquals(Ioctl.CREATE_QUEUE.size(), l.struct("ghost_ioc_create_queue").size());
    assertEquals(Ioctl.ASSOC_QUEUE.size(), l.struct("ghost_ioc_assoc_queue").size());
    assertEquals(Ioctl.SET_DEFAULT_QUEUE.size(), l.struct("ghost_ioc_set_default_queue").size());
    assertEquals(
        Ioctl.CONFIG_QUEUE_WAKEUP.size(), l.struct("ghost_ioc_config_queue_wakeup").size());
    assertEquals(Ioctl.GET_CPU_TIME.size(), l.struct("ghost_ioc_get_cpu_time").size());
    assertEquals(Ioctl.COMMIT_TXN.size(), l.struct("ghost_ioc_commit_txn").size());
    assertEquals(Ioctl.SYNC_GROUP_TXN.size(), l.struct("ghost_ioc_commit_txn").size());
    assertEquals(Ioctl.TIMERFD_SETTIME.size(), l.struct("ghost_ioc_timerfd_settime").size());
    assertEquals(Ioctl.RUN.size(), l.struct("ghost_ioc_run").size());
  }

  @Test
  void createQueue() {
    Memory m = IoctlArgs.createQueue(1024, 1);
    assertEquals(24, m.size());
    assertEquals(1024, m.getInt(0));
    assertEquals(1, m.getInt(4));
    assertEquals(0, m.getInt(8), "flags 0");
    m.setLong(16, 528_384);
    assertEquals(528_384, IoctlArgs.createQueueMapsize(m));
  }

  @Test
  void assocQueue() {
    Memory m = IoctlArgs.assocQueue(9, 0x1_0000_0042L, 77);
    assertEquals(9, m.getInt(0));
    assertEquals(1, m.getInt(8), "src.type = GHOST_TASK");
    assertEquals(0x1_0000_0042L, m.getLong(16), "src.arg = gtid");
    assertEquals(77, m.getInt(24));
    assertEquals(0, m.getInt(28));
  }

  @Test
  void configQueueWakeupPointsToItsWakeupList() {
    Memory m = IoctlArgs.configQueueWakeup(5, 3, 6);
    assertEquals(5, m.getInt(0));
    assertEquals(
        Pointer.nativeValue(m) + 24,
        Pointer.nativeValue(m.getPointer(8)),
        "w right after the struct");
    assertEquals(2, m.getInt(16), "ninfo");
    assertEquals(0, m.getInt(20), "flags");
    assertEquals(3, m.getInt(24));
    assertEquals(0, m.getInt(28), "prio 0");
    assertEquals(6, m.getInt(32));
    Memory none = IoctlArgs.configQueueWakeup(5);
    assertEquals(0, none.getInt(16));
    assertEquals(null, none.getPointer(8));
    assertThrows(IllegalArgumentException.class, () -> IoctlArgs.configQueueWakeup(5, 1, 2, 3));
  }

  @Test
  void swGetInfoAndFree() {
    Memory agent = IoctlArgs.swGetInfoAgent(4);
    assertEquals(0, agent.getInt(0), "GHOST_AGENT");
    assertEquals(4, agent.getLong(8));
    Memory task = IoctlArgs.swGetInfoTask(123);
    assertEquals(1, task.getInt(0), "GHOST_TASK");
    assertEquals(123, task.getLong(8));
    task.setInt(16, 2);
    task.setInt(20, 65_533);
    assertEquals(new SwInfo(2, 65_533), IoctlArgs.swGetInfoResponse(task));
    Memory free = IoctlArgs.swFree(2, 65_533);
    assertEquals(8, free.size());
    assertEquals(2, free.getInt(0));
    assertEquals(65_533, free.getInt(4));
  }

  @Test
  void cpuTimeAndDefaultQueue() {
    Memory t = IoctlArgs.getCpuTime(88);
    assertEquals(88, t.getLong(0));
    t.setLong(8, 1_000_000);
    assertEquals(1_000_000, IoctlArgs.getCpuTimeRuntime(t));
    Memory q = IoctlArgs.setDefaultQueue(11);
    assertEquals(4, q.size());
    assertEquals(11, q.getInt(0));
  }

  private static final Layout L = Layouts.of(AbiVersion.V91);

  // An agent pass reuses its argument memory: every field must be written, whatever was there.
  private static Memory dirty(long size) {
    Memory m = new Memory(size);
    m.setMemory(0, size, (byte) 0xA5);
    return m;
  }

  @Test
  void commitTxnSetsCpuIAsBitIMod8OfByteIDiv8() {
    Struct s = L.struct("ghost_ioc_commit_txn");
    Memory m = IoctlArgs.commitTxn(0, 7, 8, 21, 1023);
    assertEquals(s.size() + AbiConstants.CPU_SET_SIZE, m.size());
    assertEquals(Pointer.nativeValue(m) + s.size(), Pointer.nativeValue(m.getPointer(0)));
    assertEquals(AbiConstants.CPU_SET_SIZE, m.getInt(s.offset("mask_len")));
    assertEquals(0, m.getInt(s.offset("flags")));
    byte[] expected = new byte[AbiConstants.CPU_SET_SIZE];
    expected[0] = (byte) 0x81; // CPUs 0 and 7
    expected[1] = 0x01; // CPU 8
    expected[2] = 0x20; // CPU 21
    expected[127] = (byte) 0x80; // CPU 1023
    assertArrayEquals(expected, m.getByteArray(s.size(), AbiConstants.CPU_SET_SIZE));
    assertThrows(IllegalArgumentException.class, () -> IoctlArgs.commitTxn(-1));
    assertThrows(IllegalArgumentException.class, () -> IoctlArgs.commitTxn(1024));
    assertEquals(0x80, IoctlArgs.commitTxn(1023).getByte(s.size() + 127) & 0xff);
  }

  @Test
  void fillCommitTxnWritesEveryFieldOfReusedMemory() {
    Struct s = L.struct("ghost_ioc_commit_txn");
    Memory m = dirty(IoctlArgs.COMMIT_TXN_SIZE);
    byte[] set = new byte[AbiConstants.CPU_SET_SIZE];
    set[0] = 0x06;
    set[5] = 0x10;
    IoctlArgs.fillCommitTxn(m, set);
    assertEquals(Pointer.nativeValue(m) + s.size(), Pointer.nativeValue(m.getPointer(0)));
    assertEquals(128, m.getInt(s.offset("mask_len")));
    assertEquals(0, m.getInt(s.offset("flags")));
    assertArrayEquals(set, m.getByteArray(s.size(), set.length));
    assertThrows(IllegalArgumentException.class, () -> IoctlArgs.fillCommitTxn(m, new byte[64]));
  }

  @Test
  void thePerTaskFillsWriteEveryFieldOfReusedMemory() {
    Struct a = L.struct("ghost_ioc_assoc_queue");
    Memory assoc = dirty(IoctlArgs.ASSOC_QUEUE_SIZE);
    assertEquals(a.size(), IoctlArgs.ASSOC_QUEUE_SIZE);
    IoctlArgs.fillAssocQueue(assoc, 9, 0x1122_3344_5566_7788L, 77);
    assertEquals(9, assoc.getInt(a.offset("fd")));
    assertEquals(AbiConstants.GHOST_TASK, assoc.getInt(a.offset("src.type")));
    assertEquals(0x1122_3344_5566_7788L, assoc.getLong(a.offset("src.arg")));
    assertEquals(77, assoc.getInt(a.offset("barrier")));
    assertEquals(0, assoc.getInt(a.offset("flags")));

    Memory free = dirty(IoctlArgs.SW_FREE_SIZE);
    assertEquals(8, IoctlArgs.SW_FREE_SIZE);
    IoctlArgs.fillSwFree(free, 3, 4_097);
    assertEquals(3, free.getInt(0));
    assertEquals(4_097, free.getInt(4));

    Struct t = L.struct("ghost_ioc_get_cpu_time");
    Memory time = dirty(IoctlArgs.GET_CPU_TIME_SIZE);
    assertEquals(t.size(), IoctlArgs.GET_CPU_TIME_SIZE);
    IoctlArgs.fillGetCpuTime(time, 0x0102_0304_0506_0708L);
    assertEquals(0x0102_0304_0506_0708L, time.getLong(t.offset("gtid")));
    assertEquals(0, IoctlArgs.getCpuTimeRuntime(time), "no runtime left from an earlier call");
  }

  @Test
  void fillRunWritesEveryFieldOfReusedMemory() {
    Struct s = L.struct("ghost_ioc_run");
    Memory m = dirty(IoctlArgs.RUN_SIZE);
    IoctlArgs.fillRun(m, 0x2_0000_0011L, 5, 6, 7, 8);
    assertEquals(0x2_0000_0011L, m.getLong(s.offset("gtid")));
    assertEquals(5, m.getInt(s.offset("agent_barrier")));
    assertEquals(6, m.getInt(s.offset("task_barrier")));
    assertEquals(7, m.getInt(s.offset("run_cpu")));
    assertEquals(8, m.getInt(s.offset("run_flags")));
    Memory fresh = IoctlArgs.run(-1, 9, 10, 2, 0);
    assertEquals(-1, fresh.getLong(s.offset("gtid")));
    assertEquals(9, fresh.getInt(s.offset("agent_barrier")));
    assertEquals(10, fresh.getInt(s.offset("task_barrier")));
    assertEquals(2, fresh.getInt(s.offset("run_cpu")));
  }

  @Test
  void timerfdSettimeIsAnAbsoluteOneShotGhostTimer() {
    Struct s = L.struct("ghost_ioc_timerfd_settime");
    Memory m = IoctlArgs.timerfdSettime(13, 3, 2_500_000_007L, 99);
    assertEquals(13, m.getInt(s.offset("timerfd")));
    assertEquals(IoctlArgs.TFD_TIMER_ABSTIME, m.getInt(s.offset("flags")));
    assertEquals(
        Pointer.nativeValue(m) + s.size(), Pointer.nativeValue(m.getPointer(s.offset("in_tmr"))));
    assertEquals(3, m.getInt(s.offset("timerfd_ghost.cpu")));
    assertEquals(AbiConstants.TIMERFD_GHOST_ENABLED, m.getInt(s.offset("timerfd_ghost.flags")));
    assertEquals(0, m.getLong(s.offset("timerfd_ghost.type")));
    assertEquals(99, m.getLong(s.offset("timerfd_ghost.cookie")));
    assertEquals(0, m.getLong(s.size()), "it_interval.tv_sec");
    assertEquals(0, m.getLong(s.size() + 8), "it_interval.tv_nsec");
    assertEquals(2, m.getLong(s.size() + 16), "it_value.tv_sec");
    assertEquals(500_000_007, m.getLong(s.size() + 24), "it_value.tv_nsec");
    for (long past : new long[] {0, -5}) {
      Memory p = IoctlArgs.timerfdSettime(13, 3, past, 99);
      assertEquals(0, p.getLong(s.size() + 16));
      assertEquals(1, p.getLong(s.size() + 24), "a past time is 1 ns, not {0, 0} (disarm)");
    }
  }
}
