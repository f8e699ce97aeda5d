package dev.ghostgym.emulation;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.live.Warmup;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import java.util.Map;
import java.util.function.Supplier;

/**
 * JIT warm-up on the emulated kernel: fresh agents from {@code agents} (the same policy as the real
 * ones, never the real instance, so no state carries over) run inline over an {@link
 * EmulatedKernel} with the enclave's ABI, on {@code cpus} CPUs, through {@code GhostPort}: ring
 * decoding, the agents' message handling and decisions, txn filling and COMMIT_TXN, as live passes
 * do. Simulated runs of the {@code rocksdb-shinjuku} workload follow one another until {@code
 * passes} agent passes ran or {@code maxMs} of wall time passed.
 */
public final class EmulatedWarmup implements Warmup {
  /** Passes by default: C2 compiles a method after about 10,000 invocations or loop iterations. */
  public static final long DEFAULT_PASSES = 20_000;

  private static final long TASKS_PER_RUN = 2_000;

  private final Supplier<? extends AgentHost> agents;
  private final AbiVersion abi;
  private final int cpus;
  private final long passes;
  private final long maxMs;

  public EmulatedWarmup(
      Supplier<? extends AgentHost> agents, AbiVersion abi, int cpus, long passes, long maxMs) {
    if (cpus < 1) throw new IllegalArgumentException("warm-up: expected cpus >= 1, got " + cpus);
    if (passes < 0)
      throw new IllegalArgumentException("warm-up: expected passes >= 0, got " + passes);
    this.agents = agents;
    this.abi = abi;
    this.cpus = cpus;
    this.passes = passes;
    this.maxMs = maxMs;
  }

  @Override
  public long run() {
    long[] ran = {0};
    long deadline = System.nanoTime() + maxMs * 1_000_000;
    for (long seed = 1; ran[0] < passes && System.nanoTime() < deadline; seed++) {
      EmulatedKernel k = new EmulatedKernel(EmulatedKernel.Options.of(abi));
      AgentHost inline = k.inline(agents.get(), null);
      AgentHost counted =
          new AgentHost() {
            @Override
            public void attach(KernelPort port) {
              inline.attach(port);
            }

            @Override
            public void activate(int cpu, KernelPort port) {
              inline.activate(cpu, port);
              ran[0]++;
            }
          };
      k.boot(
              SimConfig.of(cpus, seed, Overheads.PAPER, TASKS_PER_RUN),
              Workloads.load("rocksdb-shinjuku", Map.of(), cpus),
              counted)
          .run();
    }
    return ran[0];
  }
}
