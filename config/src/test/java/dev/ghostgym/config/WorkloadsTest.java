package dev.ghostgym.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadsTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static double rate(Workload w, int source) {
    return assertInstanceOf(Arrival.Poisson.class, w.sources().get(source).arrival())
        .ratePerSecond();
  }

  private static ConfigError fails(String nameOrFile, Map<String, String> overrides) {
    return assertThrows(ConfigError.class, () -> Workloads.load(nameOrFile, overrides, 4));
  }

  @Test
  void loadOverrideChangesThePoissonRateExactly() {
    Workload base = Workloads.load("mmc", Map.of(), 4);
    assertEquals(0.7 * 4 / 1e6 * 1e9, rate(base, 0), 0);
    Workload w = Workloads.load("mmc", Map.of("load", "0.8"), 4);
    assertEquals(0.8 * 4 / 1e6 * 1e9, rate(w, 0), 0);
    assertEquals(3200.0, rate(w, 0), 1e-9);
    assertEquals("0.8", w.params().get("load"));
  }

  @Test
  void serviceOverrideWithAMixChangesProgramAndRate() {
    String paper = "mix(0.995:const(4us),0.005:const(10ms))";
    Workload w = Workloads.load("rocksdb-shinjuku", Map.of("service", paper, "load", "0.5"), 20);
    Program p = w.sources().get(0).template().program();
    assertEquals(List.of(new Step.Run(Dists.parse(paper, "service", Path.of(".")))), p.steps());
    assertEquals(53_980.0, p.meanServiceNs(), 1e-9);
    assertEquals(0.5 * 20 / 53_980.0 * 1e9, rate(w, 0), 0);
    assertEquals(paper, w.params().get("service"));
  }

  @Test
  void unknownOverrideKeyListsTheParameters() {
    ConfigError e = fails("mmc", Map.of("lod", "0.5"));
    assertEquals("lod", e.path());
    assertTrue(
        e.getMessage()
            .contains(
                "lod: workload 'mmc' has no parameter 'lod'; its parameters are: load, service"),
        e.getMessage());
    ConfigError sources = fails("mmc", Map.of("sources", "x"));
    assertTrue(
        sources.getMessage().contains("its parameters are: load, service"), sources.getMessage());
  }

  @Test
  void unknownWorkloadListsTheBuiltins() {
    ConfigError e = fails("mcc", Map.of());
    assertTrue(
        e.getMessage()
            .startsWith("unknown workload 'mcc'; expected a built-in (mmc, rocksdb-shinjuku,"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("seed-depart-exp) or a path to a .conf file"), e.getMessage());
    ConfigError file = fails(dir.resolve("missing.conf").toString(), Map.of());
    assertTrue(file.getMessage().startsWith("no such workload file"), file.getMessage());
  }

  @Test
  void badOverrideValuesNameTheParameter() {
    ConfigError load = fails("mmc", Map.of("load", "-0.5"));
    assertEquals("load", load.path());
    assertTrue(
        load.getMessage()
            .contains("load: expected a load in (0, 1.5] (target utilisation per CPU); got -0.5"),
        load.getMessage());
    assertTrue(load.getMessage().startsWith("--set load=-0.5: "), load.getMessage());
    ConfigError high = fails("mmc", Map.of("load", "1.6"));
    assertTrue(high.getMessage().contains("load: expected a load in (0, 1.5]"), high.getMessage());
    ConfigError service = fails("mmc", Map.of("service", "expo(1ms)"));
    assertEquals("service", service.path());
    assertTrue(
        service.getMessage().contains("service: expected a distribution such as const(10us)"),
        service.getMessage());
    assertTrue(
        service.getMessage().contains("got 'expo(1ms)' (used at sources.req.service)"),
        service.getMessage());
  }

  @Test
  void hoconSyntaxErrorReportsFileAndLine() throws IOException {
    Path file = write("broken.conf", "load = 0.7\nsources {\n  req { service = ]\n}\n");
    ConfigError e = fails(file.toString(), Map.of());
    assertTrue(e.getMessage().startsWith(file + ":3: "), e.getMessage());
    assertEquals(file + ":3", e.origin().orElseThrow());
  }

  @Test
  void fileValuesAreCheckedWithTheirPathAndLine() throws IOException {
    Path file =
        write(
            "rate.conf",
            """
        sources {
          x {
            arrival { type = poisson, rate = -5 }
            service = "exp(1ms)"
          }
        }
        """);
    ConfigError e = fails(file.toString(), Map.of());
    assertEquals("sources.x.arrival.rate", e.path());
    assertTrue(
        e.getMessage()
            .equals(
                file
                    + ":3: sources.x.arrival.rate: expected a rate > 0 (tasks per second); got -5.0"),
        e.getMessage());
  }

  @Test
  void missingAndMalformedFieldsNameTheirPath() throws IOException {
    String[][] cases = {
      {"x { service = \"exp(1ms)\" }", "sources.x.arrival: missing; expected an arrival object"},
      {
        "x { arrival { type = poisson, rate = 10 } }",
        "sources.x.program: missing; expected service = <dist>"
      },
      {
        "x { arrival { type = poisson }, service = 1ms }",
        "sources.x.arrival: a poisson arrival needs exactly one of rate"
      },
      {
        "x { arrival { type = burst }, service = 1ms }",
        "sources.x.arrival.type: expected an arrival type: poisson, fixed, pool or worker-pool; got 'burst'"
      },
      {
        "x { arrival { type = worker-pool, load = 0.5 }, service = 1ms }",
        "sources.x.arrival.workers: missing; expected the number of worker threads"
      },
      {
        "x { arrival { type = worker-pool, workers = 0, load = 0.5 }, service = 1ms }",
        "sources.x.arrival.workers: expected a number of workers >= 1; got 0"
      },
      {
        "x { arrival { type = worker-pool, workers = 2 }, service = 1ms }",
        "sources.x.arrival: a poisson arrival needs exactly one of rate"
      },
      {
        "x { arrival { type = worker-pool, workers = 2, rate = 10 }, program = [{run = 1ms}, depart] }",
        "sources.x.arrival: a worker-pool request runs inside its worker thread"
      },
      {
        "x { arrival { type = worker-pool, workers = 2, rate = 10 }, program = [{loop = forever, do = [{run = 1ms}]}] }",
        "sources.x.arrival: a worker-pool request must end"
      },
      {
        "x { arrival { type = pool, workers = -1 }, service = 1ms }",
        "sources.x.arrival.workers: expected a number of workers >= 0; got -1"
      },
      {
        "x { arrival { type = fixed, times = [1ms, 0ns] }, service = 1ms }",
        "sources.x.arrival.times[1]: expected times in non-decreasing order"
      },
      {
        "x { arrival { type = fixed, times = [10] }, service = 1ms }",
        "sources.x.arrival.times[0]: expected a duration with a unit"
      },
      {
        "x { arrival { type = pool, workers = 1 }, nice = 20, service = 1ms }",
        "sources.x.nice: expected a nice value in -20..19; got 20"
      },
      {
        "x { arrival { type = pool, workers = 1 }, hnit = 2, service = 1ms }",
        "sources.x.hnit: unknown field 'hnit'; expected one of"
      },
      {
        "x { arrival { type = pool, workers = 1 }, service = 1ms, program = [yield] }",
        "sources.x.program: give either service"
      },
      {
        "x { arrival { type = pool, workers = 1 }, program = [spin] }",
        "sources.x.program[0]: expected a step: {run: D}"
      },
      {
        "x { arrival { type = pool, workers = 1 }, program = [{loop = -2, do = [yield]}] }",
        "sources.x.program[0].loop: expected a repeat count >= 0, or -1 / forever; got -2"
      },
      {
        "x { arrival { type = pool, workers = 1 }, program = [{sleep = \"exp(5)\"}] }",
        "sources.x.program[0].sleep: in 'exp(5)': expected a duration with a unit"
      },
      {
        "x { arrival { type = pool, workers = 1 }, program = [] }",
        "sources.x.program: expected at least one step"
      },
    };
    for (String[] c : cases) {
      Path file = write("case.conf", "sources {\n" + c[0] + "\n}\n");
      ConfigError e = fails(file.toString(), Map.of());
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void loadWithAForeverProgramIsAnError() throws IOException {
    Path file =
        write(
            "forever.conf",
            """
        load = 0.5
        sources.spin {
          arrival { type = poisson, load = ${load} }
          program = [ { loop = forever, do = [ { run = 1ms } ] } ]
        }
        """);
    ConfigError e = fails(file.toString(), Map.of());
    assertEquals("load", e.path());
    assertTrue(e.getMessage().contains("loops forever; give rate instead"), e.getMessage());
  }

  @Test
  void affinityAndNiceStepsParseAndBadOnesNameTheField() throws IOException {
    String tmpl =
        """
        sources {
          w {
            arrival { type = fixed, count = 1 }
            program = [ { affinity = %s }, { nice = %s }, { run = 1us } ]
          }
        }
        """;
    Path ok = write("ok.conf", tmpl.formatted("[0, 2]", "5"));
    List<Step> steps =
        Workloads.load(ok.toString(), Map.of(), 4).sources().get(0).template().program().steps();
    assertEquals(new Step.Affinity(List.of(0, 2)), steps.get(0));
    assertEquals(new Step.Nice(5), steps.get(1));
    for (String[] bad :
        new String[][] {
          {"[]", "0"}, {"[1, 0]", "0"}, {"[-1]", "0"}, {"[4]", "0"}, {"[0]", "20"}, {"1", "0"}
        }) {
      Path f = write("bad.conf", tmpl.formatted(bad[0], bad[1]));
      ConfigError e = fails(f.toString(), Map.of());
      assertTrue(
          e.getMessage().contains("affinity") || e.getMessage().contains("nice"), e.getMessage());
    }
  }

  @Test
  void programsParseAllStepsAndSpawnInherits() throws IOException {
    write("t.txt", "5us\n15us\n");
    Path file =
        write(
            "steps.conf",
            """
        description = "all steps"
        sources {
          w {
            class = web, hint = 3, nice = -5
            deadline = 2ms
            arrival { type = fixed, count = 3, at = 1ms, every = 500us }
            program = [
              { run = "empirical(t.txt)" }, { sleep = 1ms }, yield,
              { spawn { service = 100us } },
              { loop = 2, do = [ { run = "exp(1us)" }, depart ] }
            ]
          }
        }
        """);
    Workload w = Workloads.load(file.toString(), Map.of(), 2);
    assertEquals("steps.conf", w.name());
    assertEquals("all steps", w.description());
    Source s = w.sources().get(0);
    assertEquals("w", s.name());
    assertEquals(new Arrival.Fixed(List.of(1_000_000L, 1_500_000L, 2_000_000L)), s.arrival());
    TaskTemplate t = s.template();
    assertEquals("web", t.className());
    assertEquals(new Dists.Const(2_000_000), t.deadline());
    List<Step> steps = t.program().steps();
    assertEquals(5, steps.size());
    assertEquals(10_000.0, steps.get(0).meanServiceNs(), 1e-9);
    assertEquals(new Step.Sleep(new Dists.Const(1_000_000)), steps.get(1));
    assertEquals(Step.Yield.INSTANCE, steps.get(2));
    TaskTemplate child = ((Step.Spawn) steps.get(3)).child();
    assertEquals(
        new TaskTemplate(
            "web",
            true,
            -5,
            3,
            new Dists.Const(2_000_000),
            new Program(List.of(new Step.Run(new Dists.Const(100_000))))),
        child);
    assertEquals(
        new Step.Loop(2, List.of(new Step.Run(new Dists.Exp(1_000)), Step.Depart.INSTANCE)),
        steps.get(4));
    assertEquals(10_000 + 2 * 1_000.0, t.program().meanServiceNs(), 1e-9);
  }

  @Test
  void sourcesKeepFileOrder() throws IOException {
    Path file =
        write(
            "order.conf",
            """
        sources {
          zeta { arrival { type = pool, workers = 1 }, service = 1ms }
          alpha { arrival { type = pool, workers = 1 }, service = 1ms }
          mid { arrival { type = pool, workers = 1 }, service = 1ms }
        }
        """);
    List<String> names =
        Workloads.load(file.toString(), Map.of(), 1).sources().stream().map(Source::name).toList();
    assertEquals(List.of("zeta", "alpha", "mid"), names);
  }

  @Test
  void unresolvedSubstitutionIsAConfigError() throws IOException {
    Path file =
        write(
            "unres.conf",
            "sources.x { arrival { type = poisson, rate = ${nope} }, service = 1ms }\n");
    ConfigError e = fails(file.toString(), Map.of());
    assertTrue(e.getMessage().startsWith(file + ":1: "), e.getMessage());
    assertTrue(e.getMessage().contains("${nope}"), e.getMessage());
  }

  @Test
  void cpusMustBePositive() {
    ConfigError e = assertThrows(ConfigError.class, () -> Workloads.load("mmc", Map.of(), 0));
    assertEquals("cpus", e.path());
  }

  @Test
  void deadlineIsNullWhenNotDeclared() {
    assertNull(Workloads.load("mmc", Map.of(), 1).sources().get(0).template().deadline());
  }
}
