package dev.ghostgym.bench;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.CpuTick;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskYield;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.ghostfs.QueueRing;
import dev.ghostgym.ghostfs.RingProducer;
import dev.ghostgym.live.AgentMemory;
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
 * The live agent's own work per kernel message, and nothing of the kernel's: the messages are
 * already in the queue ring (the kernel side copies messages encoded once; it allocates nothing),
 * and the agent of CPU 0 runs a pass over its {@link GhostPort}: it decodes them in place from the
 * ring, handles them in its engine, fills the txn in {@code cpu_data} and issues COMMIT_TXN, which
 * {@link LiveBenchDevice} completes at once. Run with {@code -prof gc}: {@code gc.alloc.rate.norm}
 * is the bytes the agent allocates per operation.
 *
 * <ul>
 *   <li>{@code agents=fifo}: ghOSt's per-CPU FIFO on one CPU ({@code PerCpuAgents}); {@code
 *       centralized-fifo}: the global agent on CPU 0 scheduling CPU 1 ({@code CentralizedAgents}).
 *   <li>{@link #message}: one TASK_YIELD of the running task (1 message, 1 pass): it goes to the
 *       back of the run queue and the head runs (INSERT and PICK asked: {@code tasks} tasks).
 *   <li>{@link #lifecycle}: a task's whole life in 3 messages and 2 passes: TASK_NEW of a task
 *       never seen (runnable, a new gtid every time, as a real kernel's are) with a CPU_TICK in the
 *       same pass, then TASK_DEAD of the running task, whose word is freed, and the next one runs.
 *       The number of live tasks stays at {@code tasks}.
 *   <li>{@link #decode}: the record decoder alone, for comparison.
 * </ul>
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
  // New gtids for lifecycle: 2^18 TASK_NEW and TASK_DEAD messages built once (the harness must not
  // allocate). A gtid comes back after 2^18 tasks, long after every map of the agents forgot it.
  private static final int GTIDS = 1 << 18;
  private static final long FIRST_NEW = 1_000;
  private static final int WORDS = 64; // task words 1..64, reused as the kernel reuses freed words

  @Param({"8"})
  int tasks;

  /** {@code none}: no listener; {@code metrics}: the live runner's {@link LiveMetrics}. */
  @Param({"none", "metrics"})
  String listener;

  @Param({"fifo", "centralized-fifo"})
  String agents;

  private LiveBenchDevice dev;
  private AgentHost host;
  private GhostPort port;
  private int runCpu; // the CPU the agent schedules: 0 (per-CPU), 1 (centralized)
  private Message[] yields; // and firstDeads: of the first tasks, 1..tasks
  private Message[] firstDeads;
  private Message[] news;
  private Message[] deads;
  private Message tick;
  private int next; // the next new task's index in news / deads
  private RingProducer decodeProducer;
  private QueueRing decodeRing;

  @Setup
  public void setup() {
    boolean centralized = agents.startsWith("centralized");
    runCpu = centralized ? 1 : 0;
    dev = new LiveBenchDevice(centralized ? 2 : 1, WORDS);
    AgentMemory mem = new AgentMemory(dev.abi(), dev.statusWords(), dev.txns());
    LiveMetrics metrics = "metrics".equals(listener) ? new LiveMetrics(dev.cpus()) : null;
    host = Policies.create(agents, Map.of(), 1);
    host.attach(GhostPort.forSetup(dev, mem, metrics));
    port = new GhostPort(0, dev, mem, null, metrics);
    yields = new Message[tasks + 1];
    firstDeads = new Message[tasks + 1];
    for (int g = 1; g <= tasks; g++) {
      dev.producer.produce(newTask(g, g));
      yields[g] = new Message(MessageType.TASK_YIELD, 1, new TaskYield(g, 0, 0, 0, runCpu, false));
      firstDeads[g] = new Message(MessageType.TASK_DEAD, 1, new TaskDead(g, runCpu));
    }
    news = new Message[GTIDS];
    deads = new Message[GTIDS];
    for (int i = 0; i < GTIDS; i++) {
      long gtid = FIRST_NEW + i;
      news[i] = newTask(gtid, 1 + (tasks + i) % WORDS);
      deads[i] = new Message(MessageType.TASK_DEAD, 1, new TaskDead(gtid, runCpu));
    }
    tick = new Message(MessageType.CPU_TICK, 1, new CpuTick(runCpu, false));
    ByteBuffer ring = ByteBuffer.allocateDirect(AbiConstants.queueMapSize(1024));
    RingProducer.format(ring, 1024);
    decodeProducer = new RingProducer(ring, dev.abi());
    decodeRing = new QueueRing(ring, dev.abi());
    pass(); // all placed and queued, task 1 committed
    check(1);
  }

  private static Message newTask(long gtid, int word) {
    return new Message(
        MessageType.TASK_NEW, 1, new TaskNew(gtid, 0, 0, true, 0, new SwInfo(0, word), 0));
  }

  private void pass() {
    port.beginPass();
    host.activate(0, port);
    port.finishPass();
  }

  private void check(long expected) {
    long running = dev.onCpu(runCpu);
    if (running != expected)
      throw new IllegalStateException("expected task " + expected + " running, got " + running);
  }

  @Benchmark
  public long message() {
    long running = dev.onCpu(runCpu);
    if (running > tasks) throw new IllegalStateException("message and lifecycle mixed: " + running);
    dev.producer.produce(yields[(int) running]); // the running task yielded: TASK_YIELD
    pass(); // FIFO: it goes to the back, the head runs
    return dev.onCpu(runCpu);
  }

  @Benchmark
  public long lifecycle() {
    dev.producer.produce(news[next]); // a task never seen, runnable
    dev.producer.produce(tick);
    pass(); // it goes to the back of the run queue
    long running = dev.onCpu(runCpu);
    dev.producer.produce(
        running < FIRST_NEW ? firstDeads[(int) running] : deads[(int) (running - FIRST_NEW)]);
    pass(); // the running task is gone, its word freed; the head runs
    next = (next + 1) % GTIDS;
    return dev.onCpu(runCpu);
  }

  /**
   * The record decoder alone, for comparison: the same TASK_YIELD written and decoded from a ring
   * of its own into a {@code Message} record and its payload (what {@code GhostPort.poll} returns;
   * the agents decode in place instead, {@code pollInto}).
   */
  @Benchmark
  public Message decode() {
    decodeProducer.produce(yields[1]);
    return decodeRing.poll();
  }

  @TearDown(Level.Iteration)
  public void verify() {
    if (dev.onCpu(runCpu) == 0) throw new IllegalStateException("no task runs");
  }
}
