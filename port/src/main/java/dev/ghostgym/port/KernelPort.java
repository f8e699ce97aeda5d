package dev.ghostgym.port;

import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageView;

/**
 * What a ghOSt agent can do to the kernel: the ghostfs files, ioctls and shared memory of
 * docs/KERNEL-MODEL.md sections 1.5-1.9, as calls. The simulator implements it; the live runner
 * implements it over JNA. Every call is made by the agent that is running now (the simulator knows
 * which CPU that is), exactly as a real agent thread makes its syscalls from its own CPU.
 *
 * <p>Reads (barriers, status words, queue messages) see the kernel state at the current instant. A
 * commit or a RUN yield takes effect when the agent's work is done, after the simulated cost of
 * that work: its outcome is read back from {@link #txnState(int)} on the next activation, as a real
 * agent reads {@code txn.state} after the ioctl returns.
 */
public interface KernelPort {
  /** Simulated (or monotonic) time in ns. */
  long now();

  /** Number of CPUs of the machine (CPU ids are 0..cpus()-1). */
  int cpus();

  /**
   * A CPU outside the enclave that runs no task and is kept for a spinning global agent (the
   * simulator's ideal agent, {@code --overheads none}), or -1 when there is none: on a ghOSt
   * machine the global agent must sit on an enclave CPU (`become agent` elsewhere is EINVAL).
   */
  default int spareAgentCpu() {
    return -1;
  }

  /** The CPUs of the enclave that run tasks, ascending. */
  int[] enclaveCpus();

  // --- setup: queues and agents ---------------------------------------------------------------

  /** GHOST_IOC_CREATE_QUEUE: returns the new queue's id (its fd). */
  int createQueue(int elems);

  /** GHOST_IOC_CONFIG_QUEUE_WAKEUP: at most two CPUs whose agents the queue wakes; none = poll. */
  void configQueueWakeup(int queue, int... cpus);

  /** GHOST_IOC_SET_DEFAULT_QUEUE: where new tasks' messages go. */
  void setDefaultQueue(int queue);

  /** {@code become agent <cpu> <qfd>}: CPU messages for this CPU go to {@code queue}. */
  void becomeAgent(int cpu, int queue);

  // --- the agent loop ----------------------------------------------------------------------------

  /** The agent barrier (Aseq) in CPU {@code cpu}'s agent status word. */
  int agentBarrier(int cpu);

  /** The agent status word flags of {@code cpu} (CPU_AVAIL, BOOST_PRIO). */
  int agentFlags(int cpu);

  /** The task's status-word barrier (Tseq), or -1 when the gtid is unknown. */
  int taskBarrier(long gtid);

  /** The task's status-word flags (TASK_ONCPU, TASK_RUNNABLE, ...), or 0 when unknown. */
  int taskFlags(long gtid);

  /**
   * sched_getaffinity: the CPUs the task may run on (a copy), or null when it may run on every CPU
   * or is unknown. ghOSt's TASK_AFFINITY_CHANGED carries no mask; an agent reads it here (a
   * syscall). The kernel does not enforce it at commit: an agent that respects affinity must.
   */
  default java.util.BitSet taskAffinity(long gtid) {
    return null;
  }

  /** The task's CPU runtime in ns (GHOST_IOC_GET_CPU_TIME), or -1 when unknown. */
  long taskRuntime(long gtid);

  /** Consumes the oldest message of {@code queue}, or returns null when it is empty. */
  Message poll(int queue);

  /**
   * {@link #poll} into a reused holder: false when the queue is empty. The live port decodes task
   * messages straight from the ring into it, allocating nothing; by default it is filled from the
   * record {@link #poll} returns.
   */
  default boolean pollInto(int queue, MessageView into) {
    Message m = poll(queue);
    if (m == null) return false;
    into.set(m);
    return true;
  }

  /**
   * GHOST_IOC_ASSOC_QUEUE: route the task's future messages to {@code queue}. Returns the
   * non-negative status flags on success or a negative errno (-ESTALE, -ENOENT).
   */
  int assocQueue(long gtid, int queue, int barrier);

  /** Opens the txn of {@code cpu}: fills its fields and sets state READY. */
  void openTxn(
      int cpu, long gtid, int agentBarrier, int taskBarrier, int runFlags, int commitFlags);

  /** GHOST_IOC_COMMIT_TXN for the ready txns of these CPUs (a group commit when several). */
  void commit(int... cpus);

  /**
   * GHOST_IOC_SYNC_GROUP_TXN ({@code ghost.c} ghost_sync_group): commits the ready txns of these
   * CPUs all or nothing, each inline from the calling CPU, the caller's own CPU last. Every txn is
   * claimed first; one that is not READY fails the group and is left as it is. Then they are
   * committed in order after the calling CPU (wrapping); once one fails, the rest are POISONED
   * (their agent barrier moves when they ask INC_AGENT_BARRIER_ON_FAILURE), and those that had
   * committed keep COMPLETE but their tasks are forced off at the rendezvous before they run, with
   * no message, and are runnable again under the same barrier. So after a failed group some txns
   * read COMPLETE: the group succeeded only if every one does, as ghost-userspace's {@code
   * CommitSyncRequests} checks. The outcome is read back from {@link #txnState(int)} as for {@link
   * #commit}. One sync group per agent pass, on CPUs not also given to {@link #commit}.
   */
  default void syncCommit(int... cpus) {
    throw new UnsupportedOperationException("sync group txn: this kernel does not offer it");
  }

  /** The txn state code of {@code cpu} (see {@code TxnState}). */
  int txnState(int cpu);

  /** GHOST_IOC_RUN with NULL_GTID: the calling agent yields its CPU (fails ESTALE if stale). */
  void yield(int agentBarrier, int runFlags);

  /** GHOST_IOC_RUN with AGENT_GTID: ping the agent of {@code cpu} (bumps its barrier, wakes it). */
  void ping(int cpu);

  /**
   * The calling agent spins and polls time (ghost-userspace's Shinjuku checks each running task's
   * elapsed slice in every loop): it will look again at {@code atNs} even if nothing else happens.
   * A real spinning agent never stops looking, so this does nothing by default; the simulator,
   * which runs a spinning agent only when something changed, activates it at that time. No message,
   * no barrier change.
   */
  default void pollAt(long atNs) {}

  /**
   * The enclave tunable {@code deliver_cpu_availability}: when on, a CPU's agent gets CPU_BUSY when
   * a higher class (CFS) takes its CPU and CPU_AVAILABLE when it leaves. Off by default, as in
   * ghOSt; an implementation without the tunable ignores it.
   */
  default void deliverCpuAvailability(boolean on) {}

  /** GHOST_IOC_SW_FREE: release a dead or departed task's status word. */
  void freeStatusWord(long gtid);

  /** {@code discover tasks}: the kernel re-sends TASK_NEW for every task in the enclave. */
  void discoverTasks();

  /**
   * GHOST_IOC_TIMERFD_SETTIME: a one-shot timer that produces CPU_TIMER_EXPIRED{cookie} for the
   * agent of {@code cpu} at {@code atNs} (time-slice preemption in centralized policies).
   */
  void timerAt(int cpu, long atNs, long cookie);

  /** Charges {@code ns} of agent work (e.g. the policy's decision time) to the running agent. */
  void spend(long ns);

  /**
   * The running agent stops its activation here to wait for a decision from outside the simulation
   * (a gym step): the simulator pauses and, once resumed, runs the agent again at the same instant
   * to finish the activation. Not supported where time cannot stop (live mode).
   */
  default void suspend() {
    throw new UnsupportedOperationException(
        "suspend: this kernel cannot wait for outside decisions");
  }

  /** The simulator's oracle, or null where there is none (live mode). */
  default Oracle oracle() {
    return null;
  }

  /**
   * The application's PrioTable (hints), as it stands now: a shared-memory read, so an agent sees
   * what the application has written up to this instant. {@link PrioTable#NONE} when the
   * application publishes none.
   */
  default PrioTable prioTable() {
    return PrioTable.NONE;
  }
}
