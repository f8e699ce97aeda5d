package dev.ghostgym.actors.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimResult;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where each CPU's time goes ({@code per_cpu} in the JSON report): ghOSt tasks, CFS tasks, the
 * agent (working or spinning) and the rest, adding up to the simulated time on every CPU.
 */
class PerCpuTimeTest {

  // KERNEL-MODEL.md 2.7 and 2.9: with the paper's costs the global agent starts on CPU 0, where
  // the first of the 7 CFS antagonists also lives (they are placed round robin from CPU 0). ghost-
  // userspace's global agent moves away under BOOST_PRIO, so every CPU holding an antagonist gets
  // CFS time; before that hand-off existed, CPU 0's antagonist starved for the whole run.
  @ParameterizedTest
  @ValueSource(strings = {"shinjuku", "centralized-fifo"})
  void everyCpuHoldingAnAntagonistGetsCfsTimeAndEveryCpusTimeAddsUp(String policy) {
    SimResult r =
        SimRuns.run(
            "antagonist", Map.of(), 8, 20_000, 1, Overheads.PAPER, () -> Policies.create(policy));
    assertEquals(8, r.perCpu().size());
    for (SimResult.CpuTime t : r.perCpu()) {
      assertEquals(r.endNs(), t.ghostNs() + t.cfsNs() + t.agentNs() + t.idleNs(), "CPU " + t.cpu());
      assertTrue(
          t.ghostNs() >= 0 && t.cfsNs() >= 0 && t.agentNs() >= 0 && t.idleNs() >= 0, t.toString());
    }
    for (int c = 0; c < 7; c++) {
      assertTrue(
          r.perCpu().get(c).cfsNs() > 0, "CPU " + c + " holds an antagonist: " + r.perCpu().get(c));
    }
  }

  // A spinning global agent holds its CPU all the time: with the paper's costs on rocksdb (no CFS
  // task, so no hand-off) CPU 0's whole run is agent time, and agent_overhead_share counts it.
  @ParameterizedTest
  @ValueSource(strings = {"shinjuku", "centralized-fifo"})
  void theSpinningGlobalAgentsCpuIsAgentTimeThroughout(String policy) {
    SimResult r =
        SimRuns.run(
            "rocksdb-shinjuku",
            Map.of(),
            4,
            5_000,
            1,
            Overheads.PAPER,
            () -> Policies.create(policy));
    SimResult.CpuTime cpu0 = r.perCpu().get(0);
    assertEquals(r.endNs(), cpu0.agentNs(), cpu0.toString());
    assertEquals(0, cpu0.ghostNs());
    assertTrue(r.agentShare() >= 0.25, "share " + r.agentShare());
  }
}
