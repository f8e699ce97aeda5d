package dev.ghostgym.actors.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimResult;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The simulator against queueing theory (docs/KERNEL-MODEL.md section 4) with ideal agents:
 * centralized FIFO is M/M/c FCFS (Erlang C), per-CPU FIFO on one CPU is M/G/1 FCFS
 * (Pollaczek-Khinchine), and Little's law and utilisation = lambda E[S] / c hold on every run.
 */
class QueueingTheoryTest {

  @ParameterizedTest(name = "M/M/{0} at load {1}")
  @CsvSource({"2, 0.5", "2, 0.8", "4, 0.5", "4, 0.8", "8, 0.5", "8, 0.8"})
  void centralizedFifoMatchesErlangC(int c, double load) {
    long tasks = load > 0.6 ? 1_500_000 : 600_000;
    SimResult r =
        SimRuns.run(
            "mmc",
            Map.of("load", "" + load),
            c,
            tasks,
            42,
            Overheads.NONE,
            () -> Policies.create("centralized-fifo"));
    double expected = Queueing.mmcResponse(c, load, 1e6);
    double got = r.metrics().meanResponseNs();
    assertEquals(expected, got, expected * 0.02, "mean response (ns), M/M/" + c + " at " + load);
    checkLittleAndUtilization(r, c, 1e6, load);
  }

  @ParameterizedTest(name = "M/G/1 {0} at load {1}")
  @CsvSource({
    "exp(1ms), 0.5, 1e6, 2e12",
    "exp(1ms), 0.8, 1e6, 2e12",
    "'mix(0.995:const(10us),0.005:const(5ms))', 0.5, 34950, 125099.5e6",
    "'mix(0.995:const(4us),0.005:const(10ms))', 0.5, 53980, 500015.92e6"
  })
  void perCpuFifoOnOneCpuMatchesPollaczekKhinchine(
      String service, double load, double es, double es2) {
    long tasks = service.startsWith("mix") ? 4_000_000 : 1_500_000;
    SimResult r =
        SimRuns.run(
            "mmc",
            Map.of("load", "" + load, "service", service),
            1,
            tasks,
            7,
            Overheads.NONE,
            () -> Policies.create("fifo"));
    double expected = Queueing.pkResponse(load, es, es2);
    double got = r.metrics().meanResponseNs();
    assertEquals(
        expected, got, expected * 0.03, "mean response (ns), M/G/1 " + service + " at " + load);
    checkLittleAndUtilization(r, 1, es, load);
  }

  private static void checkLittleAndUtilization(SimResult r, int c, double es, double load) {
    // Little: L = lambda W, with L the time-average number in system.
    double lambda = r.arrivalRatePerS() / 1e9;
    double little = lambda * r.metrics().meanResponseNs();
    assertEquals(r.meanInSystem(), little, r.meanInSystem() * 0.01, "Little's law L = lambda W");
    // Utilisation = lambda E[S] / c, with E[S] measured from the service actually given.
    double measuredEs = (double) r.metrics().serviceSumNs() / r.metrics().completed();
    assertEquals(lambda * measuredEs / c, r.utilization(), 0.01, "utilisation = lambda E[S] / c");
    assertEquals(load, r.utilization(), 0.02, "utilisation near the target load");
    assertEquals(r.metrics().arrived(), r.metrics().completed(), "every task completed");
  }
}
