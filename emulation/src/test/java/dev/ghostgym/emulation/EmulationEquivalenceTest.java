package dev.ghostgym.emulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The acceptance test of the emulation: a run whose agents see only the real memory layouts (rings
 * written with the kernel's producer rules, status words, txn slots) has the same metrics and the
 * same trace hash as the same run in plain simulation.
 */
class EmulationEquivalenceTest {

  private static void assertSameRun(SimResult plain, SimResult emulated) {
    assertEquals(plain.metrics().arrived(), emulated.metrics().arrived(), "arrived");
    assertEquals(plain.metrics().completed(), emulated.metrics().completed(), "completed");
    assertEquals(
        plain.metrics().responseSumNs(), emulated.metrics().responseSumNs(), "response sum");
    assertEquals(plain.metrics().txnOutcomes(), emulated.metrics().txnOutcomes(), "txn outcomes");
    assertEquals(plain.metrics().messagesByType(), emulated.metrics().messagesByType(), "messages");
    assertEquals(
        plain.metrics().agentActivations(), emulated.metrics().agentActivations(), "activations");
    assertEquals(plain.endNs(), emulated.endNs(), "simulated time");
    assertEquals(plain.traceRecords(), emulated.traceRecords(), "trace records");
    assertEquals(plain.traceSha256(), emulated.traceSha256(), "trace sha256");
  }

  // rocksdb-shinjuku under ghOSt's per-CPU FIFO with the paper's overheads: the brief's acceptance
  // run, in each ABI's layouts, and with 32-slot rings so that the NOP padding at the wrap is used
  // thousands of times (with 65536 slots it is used every ~13,000 messages).
  @ParameterizedTest(name = "{0} ABI {1} ring {2}")
  @CsvSource({
    "fifo, 91, 0",
    "fifo, 90, 32",
    "fifo, 84, 32",
    "centralized-fifo, 91, 32",
    "shinjuku, 91, 64",
  })
  void rocksdbThroughTheEmulatedKernelEqualsPlainSimulation(String policy, int abi, int ring) {
    long tasks = policy.equals("fifo") ? 20_000 : 5_000;
    SimResult plain = Runs.plain("rocksdb-shinjuku", policy, 4, 7, Overheads.PAPER, tasks);
    EmulatedKernel k = Runs.kernel(AbiVersion.of(abi), ring);
    SimResult emulated = Runs.emulated(k, "rocksdb-shinjuku", policy, 4, 7, Overheads.PAPER, tasks);

    assertEquals(tasks, plain.metrics().completed());
    assertSameRun(plain, emulated);
    // Every message the machine delivered went through a ring and was decoded back.
    assertEquals(plain.metrics().messagesTotal(), k.messagesWritten());
    assertTrue(k.commitCalls() > tasks / 2, "commits went through COMMIT_TXN: " + k.commitCalls());
    if (ring > 0) assertTrue(k.ringWraps() > 100, "NOP-padded wraps: " + k.ringWraps());
  }
}
