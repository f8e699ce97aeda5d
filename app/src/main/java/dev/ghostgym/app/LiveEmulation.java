package dev.ghostgym.app;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.app.trace.LiveTrace;
import dev.ghostgym.app.trace.ScheduleLog;
import dev.ghostgym.config.Workload;
import dev.ghostgym.emulation.EmulatedKernel;
import dev.ghostgym.live.LiveEnclave;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.SimConfig;
import java.io.PrintStream;

/**
 * {@code simulate --deployment live-emulated}: the agents run as {@code live} runs them ({@link
 * LiveEnclave}'s agent threads over {@code GhostPort}s, seeing only the kernel's binary layouts),
 * and the simulated machine plays the ghOSt kernel ({@link EmulatedKernel}). With {@code --trace}
 * the timeline is the one {@code live --trace} writes: rebuilt by a {@link LiveTrace} from what the
 * agents observed, not read off the machine.
 */
final class LiveEmulation implements AutoCloseable {
  private final EmulatedKernel kernel =
      new EmulatedKernel(EmulatedKernel.Options.of(AbiVersion.V91));
  private final LiveEnclave live;
  private final LiveTrace trace;

  LiveEmulation(AgentHost engine, boolean recordTrace, PrintStream log) {
    live = new LiveEnclave(kernel, engine, kernel.turns(), LiveEnclave.Options.emulated(), log);
    trace = recordTrace ? new LiveTrace(gtid -> "task") : null;
    if (trace != null) live.observe(trace);
  }

  Machine boot(SimConfig cfg, Workload w) {
    return kernel.boot(cfg, w, kernel.threaded(live));
  }

  /** The agents' timeline (after the run). */
  ScheduleLog log(int cpus) {
    return trace.toLog(cpus);
  }

  /** The failure of an agent thread, or null. */
  Throwable failure() {
    return live.failure();
  }

  @Override
  public void close() {
    live.close();
  }
}
