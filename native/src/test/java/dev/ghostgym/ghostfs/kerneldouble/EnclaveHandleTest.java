package dev.ghostgym.ghostfs.kerneldouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.ghostfs.EnclaveHandle;
import dev.ghostgym.ghostfs.Ghostfs;
import dev.ghostgym.ghostfs.Queue;
import dev.ghostgym.ghostfs.Sys;
import dev.ghostgym.ghostfs.SysCalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EnclaveHandle} and {@link Ghostfs} against the kernel double: the exact ghostfs strings
 * they write, the retries the C++ library makes (EEXIST on create, EBUSY on {@code cpulist} and
 * {@code become agent}), and that closing releases every file descriptor, goes offline, then
 * destroys.
 */
class EnclaveHandleTest {
  @TempDir Path tmp;
  private KernelDouble kernel;
  private SysCalls previous;

  @BeforeEach
  void install() {
    kernel = new KernelDouble(tmp.resolve("ghost"), 4);
    previous = Sys.install(kernel);
  }

  @AfterEach
  void restore() {
    kernel.shutDown();
    Sys.install(previous);
  }

  private long count(String line) {
    return kernel.journal().stream().filter(line::equals).count();
  }

  @Test
  void closeGoesOfflineThenDestroysAndReleasesEveryFd() {
    EnclaveHandle h = Ghostfs.open(kernel.root()).createEnclave(1, "1-2");
    h.createQueue(64, 0);
    h.advertiseOnline();
    h.advertiseOnline(); // already online: nothing more is opened
    assertTrue(h.agentOnline());
    assertEquals(1, count("open enclave_1/agent_online"));
    assertTrue(kernel.openFds() > 0);
    h.close();
    h.close();
    assertEquals(0, kernel.openFds(), "ctl, the queue and agent_online are all closed");
    List<String> j = kernel.journal();
    int offline = j.indexOf("close enclave_1/agent_online");
    int destroy = j.indexOf("write enclave_1/ctl: destroy");
    assertTrue(0 <= offline && offline < destroy, j.toString());
    assertEquals(1, count("write enclave_1/ctl: destroy"));
    assertFalse(Files.exists(kernel.root().resolve("enclave_1")));
  }

  @Test
  void agentOnlineIsHeldByOneProcessAndWithdrawnOnce() {
    EnclaveHandle h = Ghostfs.open(kernel.root()).createEnclave(1, "1-2");
    EnclaveHandle other = Ghostfs.open(kernel.root()).attach(1);
    h.advertiseOnline();
    IllegalStateException e = assertThrows(IllegalStateException.class, other::advertiseOnline);
    assertTrue(e.getMessage().startsWith("another agent process is online"), e.getMessage());
    h.withdrawOnline();
    h.withdrawOnline();
    assertFalse(other.agentOnline());
    assertEquals(1, count("close enclave_1/agent_online"));
    other.advertiseOnline(); // free again
    assertTrue(h.agentOnline());
    other.close();
    assertTrue(h.exists(), "closing an attached enclave does not destroy it");
    h.close();
    assertFalse(h.exists());
  }

  @Test
  void discoverAndDestroyAreWrittenWordForWordAndDestroyIsNotRepeatedOnClose() {
    EnclaveHandle h = Ghostfs.open(kernel.root()).createEnclave(1, "1-2");
    h.discoverTasks();
    assertEquals(1, count("write enclave_1/ctl: discover tasks"));
    h.destroy();
    assertFalse(h.exists());
    h.close();
    assertEquals(1, count("write enclave_1/ctl: destroy"));
  }

  @Test
  void createMovesPastTakenIdsAndAFailedCpulistDestroysTheHalfCreatedEnclave() {
    Ghostfs fs = Ghostfs.open(kernel.root());
    EnclaveHandle first = fs.createEnclave(1, "1-2");
    // id 1 is taken (EEXIST): the next free id; CPU 2 is enclave 1's (EBUSY, retried, then one
    // line)
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> fs.createEnclave(1, "2-3"));
    assertTrue(e.getMessage().contains("a CPU belongs to another enclave"), e.getMessage());
    assertEquals(10, count("write enclave_2/cpulist: 2-3"), "EBUSY is tried 10 times");
    assertEquals(1, count("write enclave_2/ctl: destroy"), "the half-created enclave is destroyed");
    assertFalse(Files.exists(kernel.root().resolve("enclave_2")));
    EnclaveHandle second = fs.createEnclave(1, "3");
    assertEquals(
        kernel.root().resolve("enclave_2"), second.dir(), "id 1 is taken, 2 is free again");
    second.close();
    first.close();
    assertEquals(0, kernel.openFds());
  }

  @Test
  void becomeAgentWaitsForThePreviousAgentToLeave() throws Exception {
    EnclaveHandle h = Ghostfs.open(kernel.root()).createEnclave(1, "1-2");
    Queue q = h.createQueue(64, 0);
    CountDownLatch attached = new CountDownLatch(1);
    CountDownLatch leave = new CountDownLatch(1);
    Thread old =
        new Thread(
            () -> {
              h.becomeAgent(1, q);
              attached.countDown();
              try {
                leave.await();
              } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
              }
            });
    old.start();
    attached.await();
    Thread leaver =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException x) {
                return;
              }
              leave.countDown();
            });
    leaver.start();
    h.becomeAgent(1, q); // EBUSY while the old agent thread lives, then it is ours
    old.join();
    assertTrue(
        kernel.journal().stream()
                .filter(l -> l.startsWith("write enclave_1/ctl: become agent 1 "))
                .count()
            > 2,
        "retried while EBUSY");
    assertTrue(kernel.enclave(1).hasAgent(1));
    h.close();
  }

  @Test
  void statusWordsAndCpuTimeAreTheKernelsAnswers() {
    EnclaveHandle h = Ghostfs.open(kernel.root()).createEnclave(1, "1-2");
    Queue q = h.createQueue(64, 0);
    h.setDefaultQueue(q);
    h.becomeAgent(1, q);
    long gtid = Gtid.of(41, 1);
    kernel.enclave(1).spawn(gtid, true);
    SwInfo agent = h.agentStatusWord(1);
    SwInfo task = h.taskStatusWord(gtid);
    assertEquals(new SwInfo(0, 0), agent, "the agent's word was allocated first");
    assertEquals(new SwInfo(0, 1), task);
    assertEquals(0, h.assocQueue(q, gtid, h.statusWords().barrier(task.index())));
    assertEquals(0, h.cpuTime(gtid));
    kernel.enclave(1).charge(gtid, 1_500);
    kernel.enclave(1).charge(gtid, 500);
    assertEquals(2_000, h.cpuTime(gtid), "the time the test said it ran");
    h.close();
  }
}
