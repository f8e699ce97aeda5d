package dev.ghostgym.emulation;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.config.Workload;
import dev.ghostgym.ghostfs.NativeException;
import dev.ghostgym.ghostfs.StatusWordRegion;
import dev.ghostgym.ghostfs.TxnSlots;
import dev.ghostgym.live.AgentMemory;
import dev.ghostgym.live.GhostDevice;
import dev.ghostgym.live.GhostPort;
import dev.ghostgym.live.LiveEnclave;
import dev.ghostgym.live.PortListener;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.SimConfig;

/**
 * The simulator playing the ghOSt kernel for agents that see only bytes. The agents run over {@link
 * GhostPort}s, exactly as on a real machine; this device answers their ioctls by calling the
 * simulated machine's own port ({@link KernelPort}) of the agent that is running, and keeps the
 * shared memory in the real layouts:
 *
 * <ul>
 *   <li>messages: when an agent finds its ring empty, the next message the machine has for that
 *       queue is written into the ring with the kernel's producer rules (NOP padding at the wrap,
 *       {@code RingProducer}); the agent decodes it with {@code QueueRing} and {@code
 *       MessageCodec}, and the decoded record must equal the one written (else
 *       IllegalStateException);
 *   <li>status words: a 2 MiB region with a word per agent and per task, allocated as the kernel
 *       does and mirrored from the machine whenever an agent is about to run and after each call
 *       that moves a barrier (pings, wakeup configuration, discovery); TASK_NEW carries the word's
 *       {@code sw_info};
 *   <li>txns: the agents write them into {@code cpu_data}; COMMIT_TXN claims the READY ones ({@code
 *       TxnKernel}), hands their fields to the machine, and the machine's verdict is written back
 *       (complete) before the agents next run.
 * </ul>
 *
 * Each has a part of its own: {@link EmulatedRings}, {@link StatusWordMirror}, {@link
 * EmulatedTxns}; this class binds them to the machine and answers the {@link GhostDevice} calls.
 *
 * <p>Because the machine sees the same calls in the same order, a run through this emulation has
 * the same trace and metrics as the same run in plain simulation (tested).
 *
 * <p>Two ways to run agents on it: {@link #inline} runs each activation's pass on the simulator's
 * thread; {@link #threaded} lets a {@link LiveEnclave}'s agent threads run the passes, the
 * simulator handing each turn to the thread of the CPU it activates ({@link #turns()}).
 */
public final class EmulatedKernel implements GhostDevice {
  /**
   * @param abi the layouts messages are written in (84, 90 or 91)
   * @param ringSlots give every queue this many slots whatever was asked (a power of two; 0 = as
   *     asked). Small rings wrap often, exercising the NOP padding.
   */
  public record Options(AbiVersion abi, int ringSlots) {
    public static Options of(AbiVersion abi) {
      return new Options(abi, 0);
    }
  }

  private final Options o;
  private final EmulatedTurns turns = new EmulatedTurns(this);
  private Machine machine;
  private KernelPort setup;
  private KernelPort cur;
  private int curCpu = -1;

  private StatusWordMirror words;
  private EmulatedTxns txns;
  private final EmulatedRings rings;

  private volatile boolean online;

  public EmulatedKernel(Options o) {
    this.o = o;
    if (o.ringSlots() < 0 || (o.ringSlots() > 0 && Integer.bitCount(o.ringSlots()) != 1)) {
      throw new IllegalArgumentException(
          "ring slots: expected 0 or a power of two, got " + o.ringSlots());
    }
    this.rings = new EmulatedRings(o.abi(), o.ringSlots());
  }

  /**
   * Builds the simulated machine this kernel emulates, with {@code host} (from {@link #inline} or
   * {@link #threaded}) as its agents.
   */
  public Machine boot(SimConfig cfg, Workload workload, AgentHost host) {
    if (machine != null)
      throw new IllegalStateException("this emulated kernel already runs a machine");
    machine = new Machine(cfg, workload, host);
    return machine;
  }

  /** The handing over of turns to {@link LiveEnclave} agent threads (see {@link #threaded}). */
  public EmulatedTurns turns() {
    return turns;
  }

  /** Messages written into rings so far. */
  public long messagesWritten() {
    return rings.produced();
  }

  /** Times a message did not fit before the end of its ring and a NOP padded the tail. */
  public long ringWraps() {
    return rings.wraps();
  }

  /** COMMIT_TXN calls so far. */
  public long commitCalls() {
    return txns == null ? 0 : txns.commits();
  }

  // --- agent hosts ----------------------------------------------------------------------------

  /**
   * {@code engine}'s passes run on the simulator's thread, each over the {@link GhostPort} of the
   * activated CPU: the agents see only the rings, the status words and the txn slots. {@code
   * listener} observes the ports (may be null).
   */
  public AgentHost inline(AgentHost engine, PortListener listener) {
    return new AgentHost() {
      private GhostPort[] ports = new GhostPort[0];

      @Override
      public void attach(KernelPort port) {
        bind(port);
        AgentMemory mem = new AgentMemory(o.abi(), words.region(), txns.slots);
        ports = new GhostPort[port.cpus()];
        for (int c = 0; c < ports.length; c++)
          ports[c] = new GhostPort(c, EmulatedKernel.this, mem, port.oracle(), listener);
        engine.attach(new GhostPort(-1, EmulatedKernel.this, mem, port.oracle(), listener));
      }

      @Override
      public void activate(int cpu, KernelPort port) {
        enter(port, cpu);
        try {
          GhostPort p = ports[cpu];
          p.beginPass();
          engine.activate(cpu, p);
          p.finishPass();
        } finally {
          leave();
        }
      }
    };
  }

  /**
   * {@code live}'s agent threads run the passes: attaching the machine's agents starts {@code live}
   * (its threads become the agents), and each activation hands the turn to the activated CPU's
   * thread and waits until its pass is done; {@link LiveEnclave#supervise()} runs after every turn.
   * {@code live} must have been made with {@link #turns()} and {@link
   * LiveEnclave.Options#emulated()}.
   */
  public AgentHost threaded(LiveEnclave live) {
    return new AgentHost() {
      @Override
      public void attach(KernelPort port) {
        bind(port);
        live.start();
      }

      @Override
      public void activate(int cpu, KernelPort port) {
        enter(port, cpu);
        try {
          turns.runTurn(cpu);
        } finally {
          leave();
        }
        live.supervise();
      }
    };
  }

  // --- the kernel side: binding, activations, memory mirroring ----------------------------------

  private void bind(KernelPort port) {
    setup = port;
    cur = port;
    curCpu = -1;
    if (txns != null) return; // an agent process re-attaches: the kernel's memory lives on
    int n = port.cpus();
    txns = new EmulatedTxns(n);
    words = new StatusWordMirror(n);
    turns.size(n);
  }

  /**
   * The machine activates the agent of {@code cpu} through {@code port}: bring the memory up to
   * date.
   */
  void enter(KernelPort port, int cpu) {
    cur = port;
    curCpu = cpu;
    txns.settle(cur);
    words.syncAgents(cur);
    words.syncTasks(cur);
  }

  void leave() {
    cur = setup;
    curCpu = -1;
  }

  /**
   * A new agent process attaches while tasks live (rebootless upgrade): every ghOSt task has a
   * status word on a real kernel, so those the agents never heard of get one now. A task is
   * ghOSt-class if ASSOC_QUEUE with a wrong barrier answers ESTALE (CFS and dead tasks answer
   * ENOENT); the probe changes nothing.
   */
  private void giveWordsToLiveTasks(int simQueue) {
    if (machine == null) return;
    for (long gtid : machine.liveTasks()) {
      if (words.taskWord(gtid) >= 0) continue;
      int b = cur.taskBarrier(gtid);
      if (b != -1 && cur.assocQueue(gtid, simQueue, b + 1) == -AbiConstants.ESTALE)
        words.allocTask(gtid, cur);
    }
  }

  /**
   * The agent thread of {@code cpu} ended: on a real kernel the agent dies with it (section 2.10).
   */
  void agentExited(int cpu) {
    if (machine != null) machine.killAgent(cpu);
  }

  // --- GhostDevice ------------------------------------------------------------------------------

  @Override
  public AbiVersion abi() {
    return o.abi();
  }

  @Override
  public int cpus() {
    requireBound();
    return cur.cpus();
  }

  @Override
  public int spareAgentCpu() {
    requireBound();
    return cur.spareAgentCpu();
  }

  @Override
  public int[] enclaveCpus() {
    requireBound();
    return cur.enclaveCpus();
  }

  @Override
  public StatusWordRegion statusWords() {
    requireBound();
    return words.region();
  }

  @Override
  public TxnSlots txns() {
    requireBound();
    return txns.slots;
  }

  private void requireBound() {
    if (txns == null)
      throw new IllegalStateException(
          "the emulated kernel has no machine yet (agents attach when the machine starts)");
  }

  @Override
  public long now() {
    requireBound();
    return cur.now();
  }

  @Override
  public QueueMapping createQueue(int elems) {
    return rings.create(cur.createQueue(elems), elems);
  }

  @Override
  public void configQueueWakeup(int queueFd, int... cpus) {
    cur.configQueueWakeup(rings.simId(queueFd), cpus);
    words.syncAgents(cur);
  }

  @Override
  public void setDefaultQueue(int queueFd) {
    cur.setDefaultQueue(rings.simId(queueFd));
  }

  @Override
  public int assocQueue(int queueFd, long gtid, int barrier) {
    return cur.assocQueue(gtid, rings.simId(queueFd), barrier);
  }

  /** The emulated kernel keeps one status word per CPU across agents: none is freed on exit. */
  @Override
  public boolean agentWordsFreedOnExit() {
    return false;
  }

  @Override
  public SwInfo agentStatusWord(int cpu) {
    int i = words.agentWord(cpu);
    if (i < 0) {
      throw new NativeException(
          "ioctl",
          "emulated enclave ctl, SW_GET_INFO agent " + cpu + " (no agent there)",
          AbiConstants.EINVAL);
    }
    return new SwInfo(StatusWordMirror.REGION_ID, i);
  }

  @Override
  public SwInfo taskStatusWord(long gtid) {
    int i = words.taskWord(gtid);
    if (i < 0) {
      if (cur.taskBarrier(gtid) == -1) return null;
      i = words.allocTask(gtid, cur);
    }
    return new SwInfo(StatusWordMirror.REGION_ID, i);
  }

  @Override
  public void freeStatusWord(SwInfo s) {
    long gtid = s.id() == StatusWordMirror.REGION_ID ? words.gtidAt(s.index()) : 0;
    if (gtid == 0)
      throw new NativeException("ioctl", "emulated enclave ctl, SW_FREE " + s, AbiConstants.EINVAL);
    cur.freeStatusWord(gtid);
    words.release(s.index());
  }

  @Override
  public void commitTxn(byte[] cpuSet) {
    txns.commit(cpuSet, curCpu, cur);
  }

  @Override
  public int run(long gtid, int agentBarrier, int runCpu, int runFlags) {
    if (gtid == Gtid.NULL) {
      if (runCpu != curCpu) return -AbiConstants.EINVAL;
      cur.yield(agentBarrier, runFlags);
      return 0;
    }
    if (gtid == Gtid.AGENT) {
      cur.ping(runCpu);
      words.syncAgents(cur);
      return 0;
    }
    return -AbiConstants.EINVAL;
  }

  @Override
  public long cpuTime(long gtid) {
    return cur.taskRuntime(gtid);
  }

  @Override
  public java.util.BitSet taskAffinity(long gtid) {
    return cur.taskAffinity(gtid);
  }

  @Override
  public void timerfdSettime(int cpu, long atNs, long cookie) {
    cur.timerAt(cpu, atNs, cookie);
  }

  @Override
  public void becomeAgent(int cpu, int queueFd) {
    int simQueue = rings.simId(queueFd);
    try {
      cur.becomeAgent(cpu, simQueue);
    } catch (IllegalStateException e) {
      if (e.getMessage() != null && e.getMessage().contains("EBUSY")) {
        throw new NativeException(
            "write",
            "emulated enclave ctl, \"become agent " + cpu + " " + queueFd + "\"",
            AbiConstants.EBUSY);
      }
      throw e;
    }
    words.allocAgent(cpu);
    words.syncAgents(cur);
    giveWordsToLiveTasks(simQueue);
  }

  @Override
  public void discoverTasks() {
    cur.discoverTasks();
    words.syncAgents(cur);
    words.syncTasks(cur);
  }

  @Override
  public boolean agentOnline() {
    return online;
  }

  @Override
  public void advertiseOnline() {
    if (online)
      throw new IllegalStateException(
          "another agent process is online in the emulated enclave (agent_online is held open)");
    online = true;
  }

  @Override
  public void withdrawOnline() {
    online = false;
  }

  /** Destroys the enclave at the current instant of the machine (every task goes back to CFS). */
  @Override
  public void destroy() {
    if (machine == null)
      throw new IllegalStateException("destroy: the emulated kernel has no machine (use boot)");
    machine.at(machine.now(), machine::destroyEnclave);
  }

  @Override
  public void close() {}

  // --- emulation hooks --------------------------------------------------------------------------

  @Override
  public boolean pump(int queueFd) {
    return rings.pump(queueFd, cur, words);
  }

  @Override
  public boolean checksDelivered() {
    return true;
  }

  @Override
  public void delivered(int queueFd, Message m) {
    rings.delivered(queueFd, m);
  }

  @Override
  public void charge(long ns) {
    cur.spend(ns);
  }

  @Override
  public void pollAt(long atNs) {
    cur.pollAt(atNs);
  }
}
