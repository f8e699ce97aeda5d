package dev.ghostgym.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltinsTest {
  private static final String SHINJUKU = "mix(0.995:const(10us),0.005:const(5ms))";

  /** The documented defaults of every built-in, in declaration order (see WORKLOADS.md). */
  private static final Map<String, Map<String, String>> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put("mmc", ordered("load", "0.7", "service", "exp(1ms)"));
    DEFAULTS.put("rocksdb-shinjuku", ordered("load", "0.7", "service", SHINJUKU));
    DEFAULTS.put(
        "rocksdb-hinted",
        ordered(
            "get_load",
            "0.1993",
            "scan_load",
            "0.5007",
            "get_service",
            "const(10us)",
            "scan_service",
            "const(5ms)"));
    DEFAULTS.put(
        "rocksdb-paper",
        ordered("load", "0.7", "service", "mix(0.995:const(4us),0.005:const(10ms))"));
    DEFAULTS.put("centralized-queuing", ordered("load", "0.7", "service", "shift(10us,exp(1us))"));
    DEFAULTS.put("rocksdb-pool", ordered("load", "0.7", "workers", "200", "service", SHINJUKU));
    DEFAULTS.put(
        "rocksdb-hinted-pool",
        ordered(
            "get_load",
            "0.1993",
            "scan_load",
            "0.5007",
            "workers",
            "100",
            "get_service",
            "const(10us)",
            "scan_service",
            "const(5ms)"));
    DEFAULTS.put(
        "rocksdb-paper-pool",
        ordered(
            "load", "0.7", "workers", "200", "service", "mix(0.995:const(4us),0.005:const(10ms))"));
    DEFAULTS.put(
        "centralized-queuing-pool",
        ordered("load", "0.7", "workers", "200", "service", "shift(10us,exp(1us))"));
    DEFAULTS.put(
        "antagonist",
        ordered(
            "load",
            "0.35",
            "service",
            SHINJUKU,
            "antagonists",
            "7",
            "antagonist_run",
            "exp(1ms)",
            "antagonist_sleep",
            "exp(1ms)"));
    DEFAULTS.put(
        "batch-mix",
        ordered(
            "load",
            "0.5",
            "service",
            "exp(50us)",
            "batch_workers",
            "2",
            "batch_run",
            "const(10ms)"));
    DEFAULTS.put(
        "seed-single-exp",
        ordered("iterations", "10", "nap", "1ms", "child", "const(100us)", "work", "const(10us)"));
    DEFAULTS.put("seed-simple-exp", ordered("tasks", "4", "work", "const(100us)", "nap", "1ms"));
    DEFAULTS.put(
        "seed-yield-exp", ordered("tasks", "4", "iterations", "10", "work", "const(50us)"));
    DEFAULTS.put("seed-depart-exp", ordered("tasks", "4", "work", "const(100us)"));
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  private static Dist dist(String spec) {
    return Dists.parse(spec, "test", Path.of("."));
  }

  @Test
  void listedBuiltinsHaveDescriptionsAndDocumentedDefaults() {
    List<WorkloadInfo> infos = Workloads.builtins();
    assertEquals(List.copyOf(DEFAULTS.keySet()), infos.stream().map(WorkloadInfo::name).toList());
    for (WorkloadInfo info : infos) {
      assertFalse(info.description().isBlank(), info.name());
      assertFalse(info.description().contains("\n"), info.name());
      assertEquals(
          List.copyOf(DEFAULTS.get(info.name()).entrySet()),
          List.copyOf(info.params().entrySet()),
          info.name());
    }
  }

  @Test
  void everyBuiltinLoadsWithFourCpus() {
    for (String name : Workloads.BUILTINS) {
      Workload w = Workloads.load(name, Map.of(), 4);
      assertEquals(name, w.name());
      assertEquals(DEFAULTS.get(name), w.params(), name);
      assertFalse(w.sources().isEmpty(), name);
    }
  }

  @Test
  void poissonBuiltinsHitTheirLoad() {
    Map<String, Double> meanNs =
        Map.of(
            "mmc",
            1e6,
            "rocksdb-shinjuku",
            34_950.0,
            "rocksdb-paper",
            53_980.0,
            "centralized-queuing",
            11_000.0);
    meanNs.forEach(
        (name, mean) -> {
          Source s = Workloads.load(name, Map.of(), 4).sources().get(0);
          assertEquals("req", s.name());
          assertEquals(mean, s.template().program().meanServiceNs(), 1e-9, name);
          double rate = assertInstanceOf(Arrival.Poisson.class, s.arrival()).ratePerSecond();
          assertEquals(0.7, rate * mean / 1e9 / 4, 1e-12, name);
          assertTrue(s.template().enclave());
          assertEquals(0, s.template().hint());
        });
  }

  // Each pool built-in is its thread-per-request twin served by a pool: same program, same rate.
  @Test
  void poolBuiltinsServeTheirTwinsRequestsWithAFixedPool() {
    Map<String, String> twins =
        Map.of(
            "rocksdb-pool",
            "rocksdb-shinjuku",
            "rocksdb-paper-pool",
            "rocksdb-paper",
            "centralized-queuing-pool",
            "centralized-queuing",
            "rocksdb-hinted-pool",
            "rocksdb-hinted");
    twins.forEach(
        (pool, twin) -> {
          Workload p = Workloads.load(pool, Map.of(), 4);
          Workload t = Workloads.load(twin, Map.of(), 4);
          assertEquals(t.sources().size(), p.sources().size(), pool);
          for (int i = 0; i < p.sources().size(); i++) {
            Arrival.WorkerPool a =
                assertInstanceOf(Arrival.WorkerPool.class, p.sources().get(i).arrival());
            assertEquals(
                ((Arrival.Poisson) t.sources().get(i).arrival()).ratePerSecond(),
                a.ratePerSecond(),
                1e-9,
                pool);
            assertEquals(p.sources().size() == 1 ? 200 : 100, a.workers(), pool);
            assertEquals(t.sources().get(i).template(), p.sources().get(i).template(), pool);
          }
        });
    Workload eight = Workloads.load("rocksdb-pool", Map.of("workers", "8"), 4);
    assertEquals(8, ((Arrival.WorkerPool) eight.sources().get(0).arrival()).workers());
  }

  @Test
  void rocksdbHintedHasTheSameMixAndTotalRateAsRocksdbShinjuku() {
    Workload hinted = Workloads.load("rocksdb-hinted", Map.of(), 4);
    Workload mixed = Workloads.load("rocksdb-shinjuku", Map.of(), 4);
    double total =
        mixed.sources().get(0).arrival() instanceof Arrival.Poisson p ? p.ratePerSecond() : -1;
    double get = ((Arrival.Poisson) hinted.sources().get(0).arrival()).ratePerSecond();
    double scan = ((Arrival.Poisson) hinted.sources().get(1).arrival()).ratePerSecond();
    assertEquals(total, get + scan, total * 1e-3, "same total rate");
    assertEquals(0.995, get / (get + scan), 1e-4, "same GET share");
    assertEquals(1, hinted.sources().get(0).template().hint());
    assertEquals(2, hinted.sources().get(1).template().hint());
  }

  @Test
  void antagonistAddsDutyCycledCfsPool() {
    Workload w = Workloads.load("antagonist", Map.of("antagonists", "3"), 4);
    assertEquals(List.of("req", "antagonist"), w.sources().stream().map(Source::name).toList());
    Source a = w.sources().get(1);
    assertEquals(new Arrival.Pool(3), a.arrival());
    assertFalse(a.template().enclave());
    assertEquals(19, a.template().nice());
    assertEquals(
        List.of(
            new Step.Loop(
                -1, List.of(new Step.Run(dist("exp(1ms)")), new Step.Sleep(dist("exp(1ms)"))))),
        a.template().program().steps());
    Workload spinning = Workloads.load("antagonist", Map.of("antagonist_sleep", "0ns"), 4);
    assertEquals(
        new Step.Sleep(new Dists.Const(0)),
        ((Step.Loop) spinning.sources().get(1).template().program().steps().get(0)).body().get(1));
  }

  @Test
  void batchMixHasInteractiveAndBatchClasses() {
    Workload w = Workloads.load("batch-mix", Map.of(), 4);
    Source interactive = w.sources().get(0);
    Source batch = w.sources().get(1);
    assertEquals("interactive", interactive.template().className());
    assertEquals(1, interactive.template().hint());
    assertEquals(
        0.5 * 4 / 50_000.0 * 1e9, ((Arrival.Poisson) interactive.arrival()).ratePerSecond(), 0);
    assertEquals(
        new TaskTemplate(
            "batch",
            true,
            10,
            2,
            null,
            new Program(
                List.of(
                    new Step.Loop(
                        -1,
                        List.of(new Step.Run(new Dists.Const(10_000_000)), Step.Yield.INSTANCE))))),
        batch.template());
    assertEquals(new Arrival.Pool(2), batch.arrival());
  }

  @Test
  void seedWorkloadsHaveTheirShapes() {
    Source single = Workloads.load("seed-single-exp", Map.of(), 4).sources().get(0);
    assertEquals(new Arrival.Fixed(List.of(0L)), single.arrival());
    Step.Loop loop = (Step.Loop) single.template().program().steps().get(0);
    assertEquals(10, loop.times());
    assertEquals(new Step.Sleep(new Dists.Const(1_000_000)), loop.body().get(0));
    TaskTemplate child = ((Step.Spawn) loop.body().get(1)).child();
    assertEquals("child", child.className());
    assertTrue(child.enclave());
    assertEquals(List.of(new Step.Run(new Dists.Const(100_000))), child.program().steps());
    assertEquals(100_000.0, single.template().program().meanServiceNs(), 1e-9);

    Source simple = Workloads.load("seed-simple-exp", Map.of("tasks", "6"), 4).sources().get(0);
    assertEquals(new Arrival.Fixed(List.of(0L, 0L, 0L, 0L, 0L, 0L)), simple.arrival());
    assertEquals(3, simple.template().program().steps().size());

    Source yield = Workloads.load("seed-yield-exp", Map.of(), 4).sources().get(0);
    assertEquals(
        List.of(
            new Step.Loop(10, List.of(new Step.Run(new Dists.Const(50_000)), Step.Yield.INSTANCE))),
        yield.template().program().steps());

    Source depart = Workloads.load("seed-depart-exp", Map.of(), 4).sources().get(0);
    assertEquals(
        List.of(
            new Step.Run(new Dists.Const(100_000)),
            Step.Depart.INSTANCE,
            new Step.Run(new Dists.Const(100_000))),
        depart.template().program().steps());
  }

  @Test
  void builtinErrorsPointIntoTheResource() {
    ConfigError e =
        assertThrows(
            ConfigError.class,
            () -> Workloads.load("antagonist", Map.of("antagonists", "many"), 4));
    assertEquals("antagonists", e.path());
    assertTrue(
        e.getMessage()
            .contains(
                "antagonists: expected a number of workers >= 0; got 'many' (used at sources.antagonist.arrival.workers)"),
        e.getMessage());
  }
}
