package dev.ghostgym.live;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.ghostfs.StatusWordRegion;
import dev.ghostgym.ghostfs.TxnSlots;
import java.nio.ByteBuffer;

/**
 * One ghOSt enclave as an agent process reaches it: the ioctls on the enclave's {@code ctl} file,
 * the ghostfs commands and files, and the two shared regions the agents read and write directly
 * (status words, per-CPU txns). {@link GhostPort} turns the agents' {@code KernelPort} calls into
 * these. {@link KernelDevice} is the real kernel over JNA; {@code
 * dev.ghostgym.emulation.EmulatedKernel} (module emulation) is the simulator playing the kernel
 * through the same memory layouts.
 *
 * <p>Failures of the kernel come back as they do from the kernel: calls whose errno agents branch
 * on return it negated ({@link #assocQueue}, {@link #run}) or a null/-1 "not found"; anything else
 * throws {@link dev.ghostgym.ghostfs.NativeException} naming the call and the errno.
 */
public interface GhostDevice extends AutoCloseable {
  /**
   * A queue made by GHOST_IOC_CREATE_QUEUE: its fd and its shared mapping (header, ring indices,
   * slots).
   */
  record QueueMapping(int fd, ByteBuffer memory) {}

  /** The enclave's ABI ({@code abi_version}). */
  AbiVersion abi();

  /** Possible CPUs: the txn slots in {@code cpu_data}; CPU ids are 0..cpus()-1. */
  int cpus();

  /** The enclave's CPUs ({@code cpulist}), ascending. */
  int[] enclaveCpus();

  /** Status-word region 0, mapped read-only. */
  StatusWordRegion statusWords();

  /** The per-CPU txns in {@code cpu_data}, mapped read-write. */
  TxnSlots txns();

  /** The kernel's clock in ns (CLOCK_MONOTONIC; the simulated clock in emulation). */
  long now();

  // --- ioctls -------------------------------------------------------------------------------

  /** GHOST_IOC_CREATE_QUEUE with {@code elems} slots, then mmap of the new queue fd. */
  QueueMapping createQueue(int elems);

  /**
   * GHOST_IOC_CONFIG_QUEUE_WAKEUP: at most two CPUs whose agents the queue wakes; none = the agent
   * polls.
   */
  void configQueueWakeup(int queueFd, int... cpus);

  /** GHOST_IOC_SET_DEFAULT_QUEUE. */
  void setDefaultQueue(int queueFd);

  /** GHOST_IOC_ASSOC_QUEUE: the non-negative status bits, or -ESTALE / -ENOENT. */
  int assocQueue(int queueFd, long gtid, int barrier);

  /** GHOST_IOC_SW_GET_INFO for the agent of {@code cpu}. */
  SwInfo agentStatusWord(int cpu);

  /**
   * GHOST_IOC_SW_GET_INFO for task {@code gtid}, or null when the kernel has no such task (ENOENT).
   */
  SwInfo taskStatusWord(long gtid);

  /** GHOST_IOC_SW_FREE of a CANFREE word. */
  void freeStatusWord(SwInfo sw);

  /**
   * GHOST_IOC_COMMIT_TXN of the READY txns of the CPUs in {@code cpuSet}, a 128-byte {@code
   * cpu_set_t} (CPU i is bit i%8 of byte i/8). Outcomes are in each txn's state. A successful local
   * commit returns only when the calling agent runs again.
   */
  void commitTxn(byte[] cpuSet);

  /**
   * GHOST_IOC_RUN from the agent on {@code runCpu}: with NULL_GTID the agent yields and blocks
   * until woken (0, or -ESTALE when {@code agentBarrier} is stale); with AGENT_GTID it pings the
   * agent of {@code runCpu} (0). Other gtids are -EINVAL.
   */
  int run(long gtid, int agentBarrier, int runCpu, int runFlags);

  /** GHOST_IOC_GET_CPU_TIME: the task's runtime in ns, or -1 when it is gone (ESRCH). */
  long cpuTime(long gtid);

  /**
   * sched_getaffinity of the task: the CPUs it may run on, or null when it may run anywhere or is
   * gone. Agents ask after TASK_AFFINITY_CHANGED (the message carries no mask).
   */
  default java.util.BitSet taskAffinity(long gtid) {
    return null;
  }

  /** See {@code KernelPort.spareAgentCpu}: -1 on a ghOSt machine; the emulated kernel's machine. */
  default int spareAgentCpu() {
    return -1;
  }

  /**
   * GHOST_IOC_TIMERFD_SETTIME: a one-shot timer at {@code atNs} (absolute, {@link #now()}'s clock)
   * whose expiry sends CPU_TIMER_EXPIRED{cookie} to the agent of {@code cpu}. One timer per cookie:
   * arming a cookie again moves its timer.
   */
  void timerfdSettime(int cpu, long atNs, long cookie);

  // --- ghostfs --------------------------------------------------------------------------------

  /**
   * {@code become agent <cpu> <qfd>}: the calling thread (pinned to {@code cpu}) becomes its agent.
   * EBUSY while the old agent leaves.
   */
  void becomeAgent(int cpu, int queueFd);

  /** {@code discover tasks}: the kernel sends TASK_NEW again for every task of the enclave. */
  void discoverTasks();

  /** True while some agent process holds {@code agent_online} (reads 1). */
  boolean agentOnline();

  /** Opens {@code agent_online} for writing: this process's agents are online. */
  void advertiseOnline();

  /** Closes {@code agent_online}: it reads 0 again (a successor may take over). */
  void withdrawOnline();

  /** Writes {@code destroy}: the kernel kills the agents and gives every task back to CFS. */
  void destroy();

  /** Releases mappings and fds (never destroys: that is {@link #destroy()}'s job). */
  @Override
  void close();

  // --- emulation hooks (no-ops on a real kernel) ------------------------------------------------

  /**
   * The agent found queue {@code queueFd} empty: an emulated kernel produces the next pending
   * message into the ring now and returns true; a real kernel produces messages as events happen,
   * so this returns false.
   */
  default boolean pump(int queueFd) {
    return false;
  }

  /**
   * The agent decoded {@code m} from queue {@code queueFd} (an emulated kernel checks it is what it
   * wrote).
   */
  default void delivered(int queueFd, Message m) {}

  /**
   * True if this device checks every decoded message against what it wrote ({@link #delivered}):
   * the agents' ports then decode records for it. A real kernel does not, and the ports decode the
   * agents' messages in place, allocating nothing.
   */
  default boolean checksDelivered() {
    return false;
  }

  /**
   * True if the kernel marks an exiting agent's status word CANFREE for the agent process to free
   * (a real kernel); the emulated kernel keeps one word per CPU across agents instead.
   */
  default boolean agentWordsFreedOnExit() {
    return true;
  }

  /**
   * The agent spent {@code ns} deciding; a simulated kernel charges it, a real one lets the time
   * pass.
   */
  default void charge(long ns) {}

  /**
   * The spinning agent will look again at {@code atNs} ({@code KernelPort.pollAt}); a real agent
   * loop never stops looking, a simulated kernel activates the agent then.
   */
  default void pollAt(long atNs) {}
}
