package dev.ghostgym.app;

import dev.ghostgym.actors.agent.CentralizedAgents;
import dev.ghostgym.actors.agent.PerCpuAgents;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.enclave.ActorAgents;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.ForwardingPolicy;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.app.io.Interrupt;
import dev.ghostgym.config.AtomicFile;
import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.vector.ActorVectorEnv;
import dev.ghostgym.gym.vector.VectorEnv;
import dev.ghostgym.gym.vector.VectorStep;
import dev.ghostgym.learn.LearnedPolicy;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ghost-gym bench}: the project's throughput numbers, measured briefly on this machine, so a
 * user can tell whether it performs as the docs say. The JMH benchmarks in {@code bench} are the
 * careful version (forks, warm-up, error bars); this is a few seconds per line.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Measure simulator, actor, environment and decision throughput briefly; print a table and JSON.")
final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "2",
      description =
          "Measuring time per line, after a warm-up of half as long. Default: ${DEFAULT-VALUE}.")
  double seconds;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Also measure the decision cost of a learned policy (from ghost-gym train).")
  Path model;

  @Option(
      names = "--json",
      paramLabel = "FILE|-",
      description = "Write the results as JSON to FILE, or to stdout alone with -.")
  String json;

  /** One measured line. */
  record Row(String name, double value, String unit, String setup) {}

  @Override
  public Integer call() {
    if (!(seconds > 0 && seconds <= 600))
      throw new InputError("--seconds: expected (0, 600], got " + seconds);
    if (model != null && !Files.isDirectory(model))
      throw new InputError("--model: no directory " + model);
    boolean quiet = "-".equals(json);
    Path jsonFile = quiet ? null : Outputs.file("--json", json);
    List<Row> rows = new ArrayList<>();
    List<Supplier<Row>> plan =
        new ArrayList<>(
            List.of(
                this::simulator,
                this::actors,
                this::env,
                this::vectorEnv,
                () -> decision("fifo", Policies.policy("fifo", Map.of(), 1)),
                () -> decision("shinjuku", Policies.policy("shinjuku", Map.of(), 1))));
    if (model != null) plan.add(() -> decision("model:" + model, LearnedPolicy.load(model)));
    boolean interrupted;
    try (Interrupt stop = Interrupt.install(System.err)) {
      for (Supplier<Row> p : plan) {
        if (stop.requested()) break;
        Row r = p.get();
        rows.add(r);
        if (!quiet)
          System.err.printf(
              Locale.ROOT,
              "[%d/%d] %s: %,.0f %s%n",
              rows.size(),
              plan.size(),
              r.name(),
              r.value(),
              r.unit());
      }
      interrupted = stop.requested();
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    doc.put("cores", Runtime.getRuntime().availableProcessors());
    doc.put("seconds_per_line", seconds);
    doc.put("interrupted", interrupted);
    List<Object> list = new ArrayList<>();
    for (Row r : rows)
      list.add(Map.of("name", r.name(), "value", r.value(), "unit", r.unit(), "setup", r.setup()));
    doc.put("results", list);
    if (quiet) {
      System.out.print(Json.write(doc));
      return interrupted ? 130 : 0;
    }
    System.out.printf(
        "ghost-gym bench: %s, %d cores, %.1f s per line%n",
        doc.get("java"), doc.get("cores"), seconds);
    for (Row r : rows)
      System.out.printf(
          Locale.ROOT, "  %-24s %,14.0f  %-18s %s%n", r.name(), r.value(), r.unit(), r.setup());
    if (jsonFile != null) {
      AtomicFile.writeStringUnchecked(jsonFile, Json.write(doc));
      System.out.println("  JSON: " + json);
    }
    return interrupted ? 130 : 0;
  }

  /** Runs {@code work} (which returns units done) for a warm-up and then for the measuring time. */
  private double rate(Supplier<Long> work) {
    long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
    while (System.nanoTime() < warmEnd) work.get();
    long units = 0;
    long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
    while (System.nanoTime() < end) units += work.get();
    return units / ((System.nanoTime() - t0) / 1e9);
  }

  /** The setup of the README's JMH numbers (SimThroughputBench): rocksdb-shinjuku on 8 CPUs. */
  private static SimConfig config(long seed) {
    return SimConfig.of(8, seed, Overheads.parse("paper"), 20_000);
  }

  private static final Workload ROCKSDB8 = Workloads.load("rocksdb-shinjuku", Map.of(), 8);
  private static final Workload ROCKSDB4 = Workloads.load("rocksdb-shinjuku", Map.of(), 4);

  private Row simulator() {
    long[] seed = {0};
    double r =
        rate(
            () -> {
              Machine m = new Machine(config(++seed[0]), ROCKSDB8, Policies.create("fifo"));
              return m.run().metrics().messagesTotal();
            });
    return new Row(
        "simulator",
        r,
        "messages/s",
        "plain agents, fifo, rocksdb-shinjuku, 8 CPUs, 20k tasks per run");
  }

  private Row actors() {
    long[] seed = {0};
    double r =
        rate(
            () -> {
              ActorAgents a = ActorAgents.create("fifo", Map.of(), ++seed[0]);
              try {
                Machine m = new Machine(config(seed[0]), ROCKSDB8, a);
                a.bind(m);
                SimResult res = m.run();
                return res.metrics().messagesTotal();
              } finally {
                a.close();
              }
            });
    return new Row(
        "actor path", r, "messages/s", "Pekko per-CPU agents, fifo, rocksdb-shinjuku, 8 CPUs");
  }

  private static final Map<String, Object> ENV_OPTIONS =
      Map.of("workload", "rocksdb-shinjuku", "cpus", 4, "tasks", 20_000);

  @SuppressWarnings("unchecked")
  private static Env<Object, Integer> makeEnv() {
    return (Env<Object, Integer>) (Env<?, ?>) Gym.make("ghost/SeedCompat-v0", ENV_OPTIONS);
  }

  static int lastValid(Map<String, Object> info) {
    boolean[] m = (boolean[]) info.get("action_mask");
    for (int i = m.length - 1; i >= 0; i--) if (m[i]) return i;
    return 0;
  }

  private Row env() {
    Env<Object, Integer> e = makeEnv();
    try {
      long[] seed = {1};
      @SuppressWarnings("unchecked")
      Map<String, Object>[] info = new Map[] {e.reset(seed[0], null).info()};
      double r =
          rate(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  Step<Object> s = e.step(lastValid(info[0]));
                  info[0] = s.info();
                  if (s.terminated() || s.truncated()) info[0] = e.reset(++seed[0], null).info();
                }
                return 1000L;
              });
      return new Row("env", r, "steps/s", "ghost/SeedCompat-v0, one env, rocksdb-shinjuku, 4 CPUs");
    } finally {
      e.close();
    }
  }

  private Row vectorEnv() {
    int n = 16;
    List<Supplier<Env<Object, Integer>>> fns = new ArrayList<>();
    for (int i = 0; i < n; i++) fns.add(BenchCommand::makeEnv);
    VectorEnv<Object, Integer> v = new ActorVectorEnv<>(fns);
    try {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>>[] infos = new List[] {v.resetAll(1000L).infos()};
      Object[] actions = new Object[n];
      double r =
          rate(
              () -> {
                for (int k = 0; k < 50; k++) {
                  for (int i = 0; i < n; i++) actions[i] = lastValid(infos[0].get(i));
                  VectorStep<Object> s = v.step(actions);
                  infos[0] = s.infos();
                }
                return 50L * n;
              });
      return new Row("vector env", r, "env-steps/s", n + " ghost/SeedCompat-v0 envs, actor-backed");
    } finally {
      v.close();
    }
  }

  /** Wall time per decide() of a policy, timed on the requests of a real run. */
  private Row decision(String name, Policy p) {
    Timed timed = new Timed(p);
    PolicyGuard guard = new PolicyGuard(timed, 1_000_000);
    long[] seed = {0};
    rate(
        () -> {
          AgentHost host =
              p.model() == Policy.Model.PER_CPU
                  ? new PerCpuAgents(guard)
                  : new CentralizedAgents(guard);
          new Machine(SimConfig.of(4, ++seed[0], Overheads.parse("paper"), 2000), ROCKSDB4, host)
              .run();
          return 1L;
        });
    double ns = timed.calls == 0 ? Double.NaN : (double) timed.nanos / timed.calls;
    return new Row(
        "decision: " + name,
        ns,
        "ns/decision (wall)",
        String.format(
            Locale.ROOT,
            "%,d decisions on rocksdb-shinjuku requests; simulated cost charged: %d ns",
            timed.calls,
            p.decisionCostNs()));
  }

  /** Times every decide() of the policy it wraps. */
  static final class Timed extends ForwardingPolicy {
    long calls, nanos;

    Timed(Policy inner) {
      super(inner);
    }

    @Override
    public int decide(DecisionRequest request) {
      long t0 = System.nanoTime();
      int a = inner.decide(request);
      nanos += System.nanoTime() - t0;
      calls++;
      return a;
    }
  }
}
