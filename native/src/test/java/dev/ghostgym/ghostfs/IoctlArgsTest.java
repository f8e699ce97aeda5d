package dev.ghostgym.ghostfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
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
}
