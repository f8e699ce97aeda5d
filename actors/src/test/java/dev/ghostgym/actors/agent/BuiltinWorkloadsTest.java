package dev.ghostgym.actors.agent;

import static dev.ghostgym.sim.SimAssertions.assertEveryTaskAccountedFor;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in workload runs under every policy with both overhead models and the invariant
 * checker on, and every task is accounted for at the end.
 */
class BuiltinWorkloadsTest {
  static Stream<Arguments> runs() {
    return Workloads.BUILTINS.stream()
        .flatMap(
            w ->
                Policies.names().stream()
                    .flatMap(p -> Stream.of("paper", "none").map(o -> Arguments.of(w, p, o))));
  }

  @ParameterizedTest(name = "{0} / {1} / {2}")
  @MethodSource("runs")
  void runsAndAccountsForEveryTask(String workload, String policy, String overheads) {
    Workload w = Workloads.load(workload, Map.of(), 4);
    SimConfig cfg =
        SimConfig.of(4, 3, Overheads.parse(overheads), 3000)
            .withDuration(2_000_000_000L)
            .withInvariants(true);
    SimResult r = new Machine(cfg, w, Policies.create(policy)).run();
    var m = r.metrics();
    assertEveryTaskAccountedFor(r);
    assertTrue(m.completed() + m.departed() > 0, "some task finished or left ghOSt");
    assertTrue(
        r.utilization() > 0 && r.utilization() <= 1.0 + 1e-9,
        "utilization in (0,1]: " + r.utilization());
    if (workload.equals("seed-depart-exp")) assertTrue(m.departed() > 0, "tasks departed");
  }
}
