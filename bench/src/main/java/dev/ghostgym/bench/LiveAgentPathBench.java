package dev.ghostgym.bench;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskYield;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.ghostfs.QueueRing;
import dev.ghostgym.ghostfs.RingProducer;
import dev.ghostgym.ghostfs.StatusWord;
import dev.ghostgym.ghostfs.StatusWordRegion;
import dev.ghostgym.ghostfs.StatusWordWriter;
import dev.ghostgym.ghostfs.TxnKernel;
import dev.ghostgym.ghostfs.TxnSlots;
import dev.ghostgym.live.AgentMemory;
import dev.ghostgym.live.GhostDevice;
import dev.ghostgym.live.GhostPort;
import dev.ghostgym.live.LiveMetrics;
import dev.ghostgym.port.AgentHost;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The live agent's own work per kernel message, and nothing of the kernel's: a TASK_YIELD is
 * already in the queue ring (the kernel side copies a message encoded once; it allocates nothing),
 * and one pass of the per-CPU agent of CPU 0 over its {@link GhostPort} decodes it in place from
 * the ring, handles it in {@code PerCpuAgents} with the {@code fifo} policy (INSERT and PICK asked:
 * the run queue holds the other {@code tasks - 1}), fills the txn in {@code cpu_data} and issues
 * COMMIT_TXN, which this device completes at once. Run with {@code -prof gc}: {@code
 * gc.alloc.rate.norm} is the bytes the agent allocates per message.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar LiveAgentPath -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class LiveAgentPathBench {
  @Param({"8"})
  int tasks;

  /** {@code none}: no listener; {@code metrics}: the live runner's {@link LiveMetrics}. */
  @Param({"none", "metrics"})
  String listener;

  private BenchDevice dev;
  private AgentHost agents;
  private GhostPort port;
  private Message[] yields;
  private int current;
  private RingProducer decodeProducer;
  private QueueRing decodeRing;

  @Setup
  public void setup() {
    dev = new BenchDevice();
    AgentMemory mem = new AgentMemory(dev.abi(), dev.statusWords(), dev.txns());
    LiveMetrics metrics = "metrics".equals(listener) ? new LiveMetrics(1) : null;
    agents = Policies.create("fifo", Map.of(), 1);
    agents.attach(GhostPort.forSetup(dev, mem, metrics));
    port = new GhostPort(0, dev, mem, null, metrics);
    yields = new Message[tasks + 1];
    for (int g = 1; g <= tasks; g++) {
      dev.producer.produce(
          new Message(MessageType.TASK_NEW, 1, new TaskNew(g, 0, 0, true, 0, new SwInfo(0, g), 0)));
      yields[g] = new Message(MessageType.TASK_YIELD, 1, new TaskYield(g, 0, 0, 0, 0, false));
    }
    ByteBuffer ring = ByteBuffer.allocateDirect(AbiConstants.queueMapSize(1024));
    RingProducer.format(ring, 1024);
    decodeProducer = new RingProducer(ring, dev.abi());
    decodeRing = new QueueRing(ring, dev.abi());
    pass(); // all placed and queued, task 1 committed
    current = 1;
    check();
  }

  private void pass() {
    port.beginPass();
    agents.activate(0, port);
    port.finishPass();
  }

  private void check() {
    long committed = dev.txns().read(0).gtid();
    if (committed != current)
      throw new IllegalStateException("expected task " + current + " committed, got " + committed);
  }

  @Benchmark
  public int message() {
    dev.producer.produce(yields[current]); // the running task yielded: TASK_YIELD
    pass(); // FIFO: it goes to the back, the head runs
    current = current % tasks + 1;
    return current;
  }

  /**
   * The record decoder alone, for comparison: the same TASK_YIELD written and decoded from a ring
   * of its own into a {@code Message} record and its payload (what {@code GhostPort.poll} returns;
   * the per-CPU agents decode in place instead, {@code pollInto}).
   */
  @Benchmark
  public Message decode() {
    decodeProducer.produce(yields[1]);
    return decodeRing.poll();
  }

  @TearDown(Level.Iteration)
  public void verify() {
    check();
  }

  /** One CPU, one queue; commits complete at once; every other call is unused here. */
  static final class BenchDevice implements GhostDevice {
    private final AbiVersion abi = AbiVersion.of(91);
    private final StatusWordWriter words =
        StatusWordWriter.format(ByteBuffer.allocateDirect(AbiConstants.SW_REGION_SIZE), 0, 0);
    private final TxnSlots txns =
        TxnSlots.format(ByteBuffer.allocateDirect(AbiConstants.CPU_DATA_STRIDE));
    private final TxnKernel kernel = new TxnKernel(txns);
    RingProducer producer;
    private long now;

    BenchDevice() {
      words.write(0, new StatusWord(0, StatusFlags.F_INUSE | StatusFlags.CPU_AVAIL, 0, 0, 0));
    }

    @Override
    public AbiVersion abi() {
      return abi;
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
    public StatusWordRegion statusWords() {
      return words.region();
    }

    @Override
    public TxnSlots txns() {
      return txns;
    }

    @Override
    public long now() {
      return now += 1_000;
    }

    @Override
    public QueueMapping createQueue(int elems) {
      int nelems = 1024;
      ByteBuffer mem = ByteBuffer.allocateDirect(AbiConstants.queueMapSize(nelems));
      RingProducer.format(mem, nelems);
      producer = new RingProducer(mem, abi);
      return new QueueMapping(3, mem);
    }

    @Override
    public void configQueueWakeup(int queueFd, int... cpus) {}

    @Override
    public void setDefaultQueue(int queueFd) {}

    @Override
    public int assocQueue(int queueFd, long gtid, int barrier) {
      return 0;
    }

    @Override
    public SwInfo agentStatusWord(int cpu) {
      return new SwInfo(0, 0);
    }

    @Override
    public SwInfo taskStatusWord(long gtid) {
      return new SwInfo(0, (int) gtid);
    }

    @Override
    public void freeStatusWord(SwInfo sw) {}

    @Override
    public void commitTxn(byte[] cpuSet) {
      if (kernel.claim(0, 0)) kernel.complete(0, TxnState.COMPLETE, now, 0);
    }

    @Override
    public int run(long gtid, int agentBarrier, int runCpu, int runFlags) {
      return 0;
    }

    @Override
    public long cpuTime(long gtid) {
      return 0;
    }

    @Override
    public void timerfdSettime(int cpu, long atNs, long cookie) {}

    @Override
    public void becomeAgent(int cpu, int queueFd) {}

    @Override
    public void discoverTasks() {}

    @Override
    public boolean agentOnline() {
      return true;
    }

    @Override
    public void advertiseOnline() {}

    @Override
    public void withdrawOnline() {}

    @Override
    public void destroy() {}

    @Override
    public void close() {}
  }
}
