package dev.ghostgym.ghostfs.kerneldouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.CpuTimerExpired;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.Ioctl;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.ghostfs.EnclaveHandle;
import dev.ghostgym.ghostfs.Ghostfs;
import dev.ghostgym.ghostfs.IoctlArgs;
import dev.ghostgym.ghostfs.LibC;
import dev.ghostgym.ghostfs.NativeException;
import dev.ghostgym.ghostfs.Queue;
import dev.ghostgym.ghostfs.Sys;
import dev.ghostgym.ghostfs.SysCalls;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel double's answers to the binding's own calls ({@link EnclaveHandle}, {@link
 * IoctlArgs}).
 */
class KernelDoubleTest {
  @TempDir Path tmp;
  private KernelDouble kernel;
  private SysCalls previous;
  private EnclaveHandle enclave;
  private Path ctl;

  @BeforeEach
  void install() {
    kernel = new KernelDouble(tmp.resolve("ghost"), 4);
    previous = Sys.install(kernel);
    enclave = Ghostfs.open(kernel.root()).createEnclave(1, "1-2");
    ctl = enclave.dir().resolve("ctl");
  }

  @AfterEach
  void restore() {
    kernel.shutDown();
    Sys.install(previous);
  }

  private int errno(Runnable r) {
    return assertThrows(NativeException.class, r::run).errno();
  }

  private int ioctl(Ioctl request, Memory arg) {
    return Sys.ioctlOrErrno(Sys.open(ctl, LibC.O_RDWR), request.request(), arg);
  }

  @Test
  void ghostfsCommandsAreMatchedWordForWord() {
    Queue q = enclave.createQueue(64, 0);
    assertEquals(AbiConstants.EINVAL, errno(() -> Sys.writeFile(ctl, "become_agent 1 " + q.fd())));
    assertEquals(AbiConstants.EINVAL, errno(() -> Sys.writeFile(ctl, "discover_tasks")));
    assertEquals(
        AbiConstants.EINVAL,
        errno(() -> Sys.writeFile(ctl, "become agent 3 " + q.fd())),
        "CPU 3 is not in 1-2");
    assertEquals(
        KernelDouble.EBADF, errno(() -> Sys.writeFile(ctl, "become agent 1 7")), "7 is no queue");
    enclave.becomeAgent(1, q);
    assertTrue(kernel.enclave(1).hasAgent(1));
    assertEquals(AbiConstants.EEXIST, errno(() -> Sys.writeFile(ctl, "create sw_region 0 0")));
    assertEquals(
        AbiConstants.EEXIST,
        errno(() -> Sys.writeFile(kernel.root().resolve("ctl"), "create 1 91")));
    assertEquals(
        AbiConstants.EINVAL,
        errno(() -> Sys.writeFile(kernel.root().resolve("ctl"), "create 2 77")));
    enclave.advertiseOnline();
    assertTrue(enclave.agentOnline());
    assertEquals(
        AbiConstants.EBUSY,
        errno(() -> Sys.open(enclave.dir().resolve("agent_online"), LibC.O_RDWR)));
    enclave.withdrawOnline();
    assertTrue(!enclave.agentOnline());
  }

  @Test
  void ioctlArgumentsAreCheckedFieldByField() {
    assertEquals(
        -AbiConstants.EINVAL,
        ioctl(Ioctl.CREATE_QUEUE, IoctlArgs.createQueue(48, 0)),
        "not a power of two");
    assertEquals(
        -AbiConstants.EINVAL, ioctl(Ioctl.CREATE_QUEUE, IoctlArgs.createQueue(64, 1)), "no node 1");
    Memory commit = IoctlArgs.commitTxn(1);
    assertEquals(0, ioctl(Ioctl.COMMIT_TXN, commit));
    commit.setInt(8, 64);
    assertEquals(
        -AbiConstants.EINVAL,
        ioctl(Ioctl.COMMIT_TXN, commit),
        "mask_len must be sizeof(cpu_set_t)");
    assertEquals(
        -AbiConstants.EINVAL,
        ioctl(Ioctl.RUN, IoctlArgs.run(Gtid.AGENT, 0, 0, 1, 0)),
        "no agent on CPU 1 yet");
    assertEquals(
        -AbiConstants.EINVAL,
        ioctl(Ioctl.RUN, IoctlArgs.run(Gtid.NULL, 0, 0, 1, 0)),
        "not an agent");
    assertEquals(
        -AbiConstants.EINVAL, ioctl(Ioctl.RUN, IoctlArgs.run(42, 0, 0, 1, 0)), "a task gtid");
    assertEquals(-AbiConstants.ENOENT, ioctl(Ioctl.SW_GET_INFO, IoctlArgs.swGetInfoTask(99)));
    assertEquals(-KernelDouble.ENODEV, ioctl(Ioctl.SW_GET_INFO, IoctlArgs.swGetInfoAgent(3)));
    assertEquals(-AbiConstants.ESRCH, ioctl(Ioctl.GET_CPU_TIME, IoctlArgs.getCpuTime(99)));
    assertEquals(
        -KernelDouble.ENOTTY, Sys.ioctlOrErrno(Sys.open(ctl, LibC.O_RDWR), 0x4008_6799L, commit));
  }

  // A timer at a past time fires at once; it_value {0, 0} disarms (timerfd_settime(2)).
  @Test
  void aPastTimerFiresAndAZeroTimerDisarms() {
    Queue q = enclave.createQueue(64, 0);
    enclave.becomeAgent(1, q);
    int tfd = Sys.timerfdCreate();
    Memory past = IoctlArgs.timerfdSettime(tfd, 1, 0, 77);
    assertEquals(1, past.getLong(48 + 24), "it_value is {0, 1}, not {0, 0}");
    assertEquals(0, ioctl(Ioctl.TIMERFD_SETTIME, past));
    Message m = q.ring().poll();
    assertEquals(MessageType.CPU_TIMER_EXPIRED, m.type());
    assertEquals(77, ((CpuTimerExpired) m.payload()).cookie());
    Memory zero = IoctlArgs.timerfdSettime(tfd, 1, 5_000_000_000_000L, 78);
    zero.setLong(48 + 16, 0);
    zero.setLong(48 + 24, 0);
    assertEquals(0, ioctl(Ioctl.TIMERFD_SETTIME, zero));
    assertNull(q.ring().poll(), "disarmed: nothing fires");
    assertTrue(kernel.enclave(1).armedTimers().isEmpty());
  }

  // A task message wakes one agent, not every CPU of the queue's wakeup list (ghost.c target_cpu):
  // the task's CPU if listed, else the first CPU listed. CONFIG_QUEUE_WAKEUP itself kicks the last
  // CPU listed (ghost_config_queue_wakeup).
  @Test
  void aTaskMessageWakesTheFirstListedCpuOnly() {
    Queue own = enclave.createQueue(64, 0);
    enclave.becomeAgent(1, own);
    DoubleEnclave e = kernel.enclave(1);
    Queue q = enclave.createQueue(64, 0);
    enclave.setDefaultQueue(q);

    int before = e.agentBarrier(1);
    enclave.configQueueWakeup(q, 2, 1);
    assertEquals(before + 1, e.agentBarrier(1), "the config kicks CPU 1, the last listed");
    e.spawn(Gtid.of(401, 1), true);
    assertEquals(before + 1, e.agentBarrier(1), "TASK_NEW wakes CPU 2 (first listed) only");

    enclave.configQueueWakeup(q, 1, 2);
    int kicked = e.agentBarrier(1);
    assertEquals(before + 1, kicked, "the config kicks CPU 2, the last listed");
    e.spawn(Gtid.of(402, 1), true);
    assertEquals(kicked + 1, e.agentBarrier(1), "TASK_NEW wakes CPU 1, first listed");
    assertEquals(MessageType.TASK_NEW, q.ring().poll().type());
    assertEquals(MessageType.TASK_NEW, q.ring().poll().type());
  }
}
