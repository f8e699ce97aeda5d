package dev.ghostgym.live;

import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.ghostfs.EnclaveHandle;
import dev.ghostgym.ghostfs.Ghostfs;
import dev.ghostgym.ghostfs.Sys;
import dev.ghostgym.ghostfs.SysCalls;
import dev.ghostgym.ghostfs.kerneldouble.KernelDouble;
import dev.ghostgym.port.AgentHost;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up the live tests over the kernel double share: a four-CPU {@link KernelDouble} installed
 * as the system-call layer for each test (and the previous one put back after it), live agents
 * started on enclave 1 through {@link KernelDevice}, and a wait that fails at once when an agent
 * failed.
 */
abstract class OverKernelDouble {
  // A deadline for the failing case only; generous because PIT runs these under its
  // instrumentation.
  static final long WAIT_MS = 60_000;

  @TempDir Path tmp;

  KernelDouble kernel;
  private SysCalls previous;
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

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

  static LiveEnclave.Options options() {
    return new LiveEnclave.Options(false, false, true, 0, false, 1_000, 1_000, false);
  }

  /** Live agents running {@code policy} on the CPUs of {@code cpus}, started. */
  LiveEnclave start(String policy, String cpus) {
    return start(Policies.create(policy, Map.of(), 1), cpus);
  }

  /** Live agents of {@code engine} on the CPUs of {@code cpus}, started. */
  LiveEnclave start(AgentHost engine, String cpus) {
    EnclaveHandle e = Ghostfs.open(kernel.root()).createEnclave(1, cpus);
    KernelDevice dev = new KernelDevice(e);
    LiveEnclave live = new LiveEnclave(dev, engine, AgentTurns.free(dev), options(), log);
    live.start();
    return live;
  }

  // Fails at once when an agent failed (the kernel refused an argument), else at the deadline.
  void await(LiveEnclave live, String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
    while (!done.getAsBoolean()) {
      if (live.failure() != null)
        throw new AssertionError("an agent failed while waiting until " + what, live.failure());
      if (System.nanoTime() > deadline)
        throw new AssertionError(
            "timed out waiting until " + what + "; journal tail: " + tail(kernel.journal()));
      Thread.sleep(1);
    }
  }

  static String tail(List<String> j) {
    return j.subList(Math.max(0, j.size() - 40), j.size()).toString();
  }
}
