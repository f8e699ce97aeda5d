package dev.ghostgym.actors.enclave;

import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.port.Oracle;

/**
 * Sits between a machine and its agents and watches the agents' kernel calls: counts yields made
 * under BOOST_PRIO, and can make the next queue poll of a CPU fail (an exception inside the engine,
 * as a bug in an agent would raise).
 */
final class Wiretap implements AgentHost {
  private final AgentHost agents;
  private final KernelPort[] wrapped = new KernelPort[64];
  long boostYields;
  long boostYieldsWithWork;
  private int failPollOn = -1;

  Wiretap(AgentHost agents) {
    this.agents = agents;
  }

  /** The next poll made by the agent of {@code cpu} throws. */
  void failNextPoll(int cpu) {
    failPollOn = cpu;
  }

  @Override
  public void attach(KernelPort port) {
    agents.attach(port);
  }

  @Override
  public void activate(int cpu, KernelPort port) {
    KernelPort w = wrapped[cpu];
    if (w == null) w = wrapped[cpu] = new Port(cpu, port);
    agents.activate(cpu, w);
  }

  /** The injected failure. */
  static final class InjectedFault extends RuntimeException {
    InjectedFault(int cpu) {
      super("injected fault in the agent of CPU " + cpu);
    }
  }

  private final class Port implements KernelPort {
    private final int cpu;
    private final KernelPort p;

    Port(int cpu, KernelPort p) {
      this.cpu = cpu;
      this.p = p;
    }

    @Override
    public Message poll(int queue) {
      if (failPollOn == cpu) {
        failPollOn = -1;
        throw new InjectedFault(cpu);
      }
      return p.poll(queue);
    }

    @Override
    public void yield(int agentBarrier, int runFlags) {
      if ((p.agentFlags(cpu) & StatusFlags.BOOST_PRIO) != 0) {
        boostYields++;
        if ((runFlags & RunFlags.RTLA_ON_IDLE) != 0) boostYieldsWithWork++;
      }
      p.yield(agentBarrier, runFlags);
    }

    @Override
    public long now() {
      return p.now();
    }

    @Override
    public int cpus() {
      return p.cpus();
    }

    @Override
    public int[] enclaveCpus() {
      return p.enclaveCpus();
    }

    @Override
    public int createQueue(int elems) {
      return p.createQueue(elems);
    }

    @Override
    public void configQueueWakeup(int queue, int... cpus) {
      p.configQueueWakeup(queue, cpus);
    }

    @Override
    public void setDefaultQueue(int queue) {
      p.setDefaultQueue(queue);
    }

    @Override
    public void becomeAgent(int c, int queue) {
      p.becomeAgent(c, queue);
    }

    @Override
    public int agentBarrier(int c) {
      return p.agentBarrier(c);
    }

    @Override
    public int agentFlags(int c) {
      return p.agentFlags(c);
    }

    @Override
    public int taskBarrier(long gtid) {
      return p.taskBarrier(gtid);
    }

    @Override
    public int taskFlags(long gtid) {
      return p.taskFlags(gtid);
    }

    @Override
    public long taskRuntime(long gtid) {
      return p.taskRuntime(gtid);
    }

    @Override
    public int assocQueue(long gtid, int queue, int barrier) {
      return p.assocQueue(gtid, queue, barrier);
    }

    @Override
    public void openTxn(int c, long gtid, int aseq, int tseq, int runFlags, int commitFlags) {
      p.openTxn(c, gtid, aseq, tseq, runFlags, commitFlags);
    }

    @Override
    public void commit(int... cpus) {
      p.commit(cpus);
    }

    @Override
    public int txnState(int c) {
      return p.txnState(c);
    }

    @Override
    public void ping(int c) {
      p.ping(c);
    }

    @Override
    public void pollAt(long atNs) {
      p.pollAt(atNs);
    }

    @Override
    public void freeStatusWord(long gtid) {
      p.freeStatusWord(gtid);
    }

    @Override
    public void discoverTasks() {
      p.discoverTasks();
    }

    @Override
    public void timerAt(int c, long atNs, long cookie) {
      p.timerAt(c, atNs, cookie);
    }

    @Override
    public void spend(long ns) {
      p.spend(ns);
    }

    @Override
    public void suspend() {
      p.suspend();
    }

    @Override
    public Oracle oracle() {
      return p.oracle();
    }
  }
}
