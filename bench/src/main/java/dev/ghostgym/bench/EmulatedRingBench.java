package dev.ghostgym.bench;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskYield;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.emulation.EmulatedKernel;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One kernel message through the live agent path, on the emulated ring, with the {@code fifo}
 * policy: per invocation the running task yields, the kernel side queues TASK_YIELD, and the
 * per-CPU agent of the CPU runs one pass over its {@code GhostPort}: the message is written into
 * the ring with the kernel's producer rules and decoded from it (decode), handled by the agent
 * (dispatch), the policy places the task in the run queue and picks the next one (decide: INSERT
 * and PICK, both asked since the queue holds {@code tasks - 1} others), and the txn is written into
 * {@code cpu_data} and submitted with COMMIT_TXN, claimed by the emulated kernel and validated
 * (commit). The status words and the txn outcome are mirrored before the pass, as the emulation
 * does before every activation. Reported per message with percentiles (SampleTime).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar EmulatedRing}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class EmulatedRingBench {
  @Param({"8"})
  int tasks;

  @Param({"91"})
  int abi;

  private LoopKernel kernel;
  private AgentHost agents;

  @Setup
  public void setup() {
    kernel = new LoopKernel(tasks);
    EmulatedKernel emu = new EmulatedKernel(EmulatedKernel.Options.of(AbiVersion.of(abi)));
    agents = emu.inline(Policies.create("fifo", Map.of(), 1), null);
    agents.attach(kernel);
    // Reach the steady state: every task placed and queued, one on the CPU.
    for (int i = 0; i < 4 && kernel.current == 0; i++) agents.activate(0, kernel);
    if (kernel.current == 0) throw new IllegalStateException("the agents did not start a task");
  }

  @Benchmark
  public long message() {
    kernel.yieldCurrent();
    agents.activate(0, kernel);
    if (kernel.state != TxnState.COMPLETE.code())
      throw new IllegalStateException("commit failed: " + kernel.state);
    return kernel.current;
  }

  /**
   * A one-CPU kernel for the steady state: {@code n} runnable tasks take turns, each yielding once
   * it has been committed. It validates commits as ghOSt does (task barrier, agent barrier of a
   * local commit) and applies them at once.
   */
  static final class LoopKernel implements KernelPort {
    final int[] barrier;
    final long[] runtime;
    final ArrayDeque<Message> queue = new ArrayDeque<>();
    long now;
    int aseq;
    long current;
    long cpuSeqnum;
    long txnGtid;
    int txnAgentBarrier;
    int txnTaskBarrier;
    int state = TxnState.COMPLETE.code();

    LoopKernel(int n) {
      barrier = new int[n + 1];
      runtime = new long[n + 1];
    }

    void yieldCurrent() {
      now += 1_000;
      long g = current;
      if (g == 0) return;
      current = 0;
      runtime[(int) g] += 1_000;
      queue.addLast(
          new Message(
              MessageType.TASK_YIELD,
              ++barrier[(int) g],
              new TaskYield(g, runtime[(int) g], ++cpuSeqnum, 0, 0, false)));
    }

    private boolean known(long g) {
      return g > 0 && g < barrier.length;
    }

    @Override
    public long now() {
      return now;
    }

    @Override
    public int cpus() {
      return 1;
    }

    @Override
    public int[] enclaveCpus() {
      return new int[] {0};
    }

    @Override
    public int createQueue(int elems) {
      return 0;
    }

    @Override
    public void configQueueWakeup(int q, int... cpus) {}

    @Override
    public void setDefaultQueue(int q) {}

    @Override
    public void becomeAgent(int cpu, int q) {}

    @Override
    public int agentBarrier(int cpu) {
      return aseq;
    }

    @Override
    public int agentFlags(int cpu) {
      return StatusFlags.CPU_AVAIL;
    }

    @Override
    public int taskBarrier(long g) {
      return known(g) ? barrier[(int) g] : -1;
    }

    @Override
    public int taskFlags(long g) {
      if (!known(g)) return 0;
      return StatusFlags.F_INUSE
          | StatusFlags.TASK_RUNNABLE
          | (g == current ? StatusFlags.TASK_ONCPU : 0);
    }

    @Override
    public long taskRuntime(long g) {
      return known(g) ? runtime[(int) g] : -1;
    }

    @Override
    public Message poll(int q) {
      return queue.pollFirst();
    }

    @Override
    public int assocQueue(long g, int q, int b) {
      return b == barrier[(int) g] ? 0 : -116;
    }

    @Override
    public void openTxn(
        int cpu, long g, int agentBarrier, int taskBarrier, int runFlags, int commitFlags) {
      txnGtid = g;
      txnAgentBarrier = agentBarrier;
      txnTaskBarrier = taskBarrier;
      state = TxnState.READY.code();
    }

    @Override
    public void commit(int... cpus) {
      if (state != TxnState.READY.code()) return;
      if (!known(txnGtid) || txnTaskBarrier != barrier[(int) txnGtid]) {
        state = TxnState.TARGET_STALE.code();
      } else if (txnAgentBarrier != aseq) {
        state = TxnState.AGENT_STALE.code();
      } else {
        state = TxnState.COMPLETE.code();
        current = txnGtid;
        aseq++;
        cpuSeqnum++;
      }
    }

    @Override
    public int txnState(int cpu) {
      return state;
    }

    @Override
    public void yield(int agentBarrier, int runFlags) {}

    @Override
    public void ping(int cpu) {
      aseq++;
    }

    @Override
    public void freeStatusWord(long g) {}

    @Override
    public void discoverTasks() {
      for (int g = 1; g < barrier.length; g++) {
        queue.addLast(
            new Message(
                MessageType.TASK_NEW,
                ++barrier[g],
                new TaskNew(g, 0, 0, true, 0, new SwInfo(0, g), 0)));
      }
    }

    @Override
    public void timerAt(int cpu, long atNs, long cookie) {}

    @Override
    public void spend(long ns) {}
  }
}
