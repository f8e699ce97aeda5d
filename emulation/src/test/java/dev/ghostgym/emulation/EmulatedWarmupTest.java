package dev.ghostgym.emulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.actors.agent.AgentEngine;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.ghostfs.EnclaveHandle;
import dev.ghostgym.ghostfs.Ghostfs;
import dev.ghostgym.ghostfs.Sys;
import dev.ghostgym.ghostfs.SysCalls;
import dev.ghostgym.ghostfs.kerneldouble.KernelDouble;
import dev.ghostgym.live.AgentTurns;
import dev.ghostgym.live.KernelDevice;
import dev.ghostgym.live.LiveEnclave;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JIT warm-up on the emulated kernel, before the agents attach to the real enclave. */
class EmulatedWarmupTest {
  @TempDir Path tmp;

  @Test
  void runsFreshAgentsUntilItHasRunTheAskedPasses() {
    List<AgentEngine> made = new ArrayList<>();
    EmulatedWarmup w =
        new EmulatedWarmup(
            () -> {
              AgentEngine e = Policies.create("fifo", Map.of(), 1);
              made.add(e);
              return e;
            },
            AbiVersion.V91,
            2,
            2_000,
            60_000);
    long passes = w.run();
    assertTrue(passes >= 2_000, "passes: " + passes);
    assertTrue(!made.isEmpty());
    if (made.size() > 1) assertNotSame(made.get(0), made.get(1), "a fresh engine per run");
    assertEquals(
        0, new EmulatedWarmup(() -> Policies.create("fifo"), AbiVersion.V91, 2, 0, 1_000).run());
    assertThrows(
        IllegalArgumentException.class,
        () -> new EmulatedWarmup(() -> Policies.create("fifo"), AbiVersion.V91, 2, -1, 1_000));
  }

  // The warm-up runs inside start(), before the first ghostfs write of the agents: no `become
  // agent` is in the kernel's journal while it runs; then the real agents attach and run.
  @Test
  void theWarmUpRunsBeforeTheAgentsAttachToTheRealEnclave() {
    KernelDouble kernel = new KernelDouble(tmp.resolve("ghost"), 4);
    SysCalls previous = Sys.install(kernel);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try {
      EnclaveHandle e = Ghostfs.open(kernel.root()).createEnclave(1, "1-2");
      KernelDevice dev = new KernelDevice(e);
      LiveEnclave live =
          new LiveEnclave(
              dev,
              Policies.create("fifo", Map.of(), 1),
              AgentTurns.free(dev),
              new LiveEnclave.Options(false, false, true, 0, false, 1_000, 1_000, false),
              log);
      long[] becomeBefore = {-1};
      EmulatedWarmup emulated =
          new EmulatedWarmup(
              () -> Policies.create("fifo", Map.of(), 1), dev.abi(), 2, 2_000, 60_000);
      live.warmUpWith(
          () -> {
            becomeBefore[0] = becomes(kernel);
            return emulated.run();
          });
      live.start();
      try {
        assertEquals(0, becomeBefore[0], "no agent had attached while the warm-up ran");
        assertTrue(live.warmupPasses() >= 2_000, "warm-up passes: " + live.warmupPasses());
        assertTrue(live.warmupNs() > 0);
        assertEquals(2, becomes(kernel), "then both agents attached");
        assertTrue(
            bytes.toString(StandardCharsets.UTF_8).contains("warmed the decision path up"),
            bytes.toString(StandardCharsets.UTF_8));
        assertNull(live.failure());
      } finally {
        live.close();
      }
    } finally {
      kernel.shutDown();
      Sys.install(previous);
    }
  }

  private static long becomes(KernelDouble kernel) {
    return kernel.journal().stream().filter(l -> l.contains("become agent")).count();
  }
}
