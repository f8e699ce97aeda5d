package dev.ghostgym.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a resolved workload tree into {@link Source} records, checking every value on the way. The
 * schema is documented on {@link Workloads} and in {@code config/WORKLOADS.md}; this class is its
 * single reader, so the two must change together.
 */
final class WorkloadReader {
  static final Set<String> RESERVED = Set.of("description", "sources");
  static final double MAX_LOAD = 1.5;

  private static final Set<String> TEMPLATE_KEYS =
      Set.of("class", "enclave", "nice", "hint", "qos", "deadline", "service", "program");
  private static final Set<String> SOURCE_KEYS = union(TEMPLATE_KEYS, Set.of("arrival"));
  private static final String STEP_FORMS =
      "a step: {run: D}, {sleep: D}, yield, depart, {hint: N}, {affinity: [CPUs]}, {nice: N},"
          + " {spawn: {...}}, {loop: N, do: [...]}";

  /** What a spawned child inherits from its parent unless it says otherwise (as fork does). */
  private record Inherited(
      String className, boolean enclave, int nice, int hint, int qos, Dist deadline) {
    static final Inherited DEFAULTS = new Inherited(null, true, 0, 0, 0, null);
  }

  private final int cpus;

  private WorkloadReader(int cpus) {
    this.cpus = cpus;
  }

  static List<Source> sources(Node root, int cpus) {
    WorkloadReader reader = new WorkloadReader(cpus);
    Node sources = root.field("sources");
    Map<String, Node> entries =
        sources.fields("an object of sources, e.g. sources { req { ... } }");
    if (entries.isEmpty()) throw sources.error("expected at least one source");
    List<Source> out = new ArrayList<>();
    Map<Integer, Integer> qosOfClass = new java.util.HashMap<>();
    for (Map.Entry<String, Node> e : entries.entrySet()) {
      Source s = reader.source(e.getKey(), e.getValue());
      // A work class is written once and read-only after (prio_table.h): one QoS per hint.
      Integer before = qosOfClass.putIfAbsent(s.template().hint(), s.template().qos());
      if (before != null && before != s.template().qos())
        throw e.getValue()
            .field("qos")
            .error(
                "expected the QoS of work class "
                    + s.template().hint()
                    + " to be "
                    + before
                    + " as another source declares it; got "
                    + s.template().qos());
      out.add(s);
    }
    return out;
  }

  private Source source(String name, Node n) {
    n.fields("a source object with arrival and service or program");
    n.allowOnly(SOURCE_KEYS);
    TaskTemplate template = template(n, Inherited.DEFAULTS, name);
    Arrival arrival = arrival(n.field("arrival"), template.program());
    return new Source(name, arrival, template);
  }

  private TaskTemplate template(Node n, Inherited parent, String defaultClass) {
    Node cls = n.field("class");
    String className = cls.present() ? cls.text("a class name") : defaultClass;
    if (className.isBlank()) throw cls.error("expected a non-empty class name");
    Node enclave = n.field("enclave");
    Node nice = n.field("nice");
    Node hint = n.field("hint");
    Node deadline = n.field("deadline");
    Node qos = n.field("qos");
    Inherited self =
        new Inherited(
            className,
            enclave.present()
                ? enclave.bool("true (a ghOSt task) or false (a CFS task)")
                : parent.enclave(),
            nice.present() ? nice.integer("a nice value in -20..19", -20, 19) : parent.nice(),
            hint.present() ? hint.integer("a hint >= 0", 0, Integer.MAX_VALUE) : parent.hint(),
            qos.present() ? qos.integer("a QoS >= 0", 0, Integer.MAX_VALUE) : parent.qos(),
            deadline.present() ? deadline.dist() : parent.deadline());
    Program program = program(n, self);
    return new TaskTemplate(
        self.className(),
        self.enclave(),
        self.nice(),
        self.hint(),
        self.qos(),
        self.deadline(),
        program);
  }

  private Program program(Node n, Inherited self) {
    Node service = n.field("service");
    Node program = n.field("program");
    if (service.present() && program.present()) {
      throw program.error("give either service = <dist> or program = [steps], not both");
    }
    if (service.present()) return new Program(List.of(new Step.Run(service.dist())));
    if (!program.present()) {
      throw program.error(
          "missing; expected service = <dist> (run once, then exit) or program = [steps]");
    }
    return new Program(steps(program, self));
  }

  private List<Step> steps(Node list, Inherited self) {
    List<Node> items =
        list.list("a list of steps, e.g. [{run: \"exp(1ms)\"}, {sleep: 1ms}, yield]");
    if (items.isEmpty()) throw list.error("expected at least one step");
    List<Step> steps = new ArrayList<>();
    for (Node item : items) steps.add(step(item, self));
    return steps;
  }

  private Step step(Node n, Inherited self) {
    if (!n.isObject()) {
      String word = n.isList() ? "a list" : n.text(STEP_FORMS).trim();
      return switch (word) {
        case "yield" -> Step.Yield.INSTANCE;
        case "depart" -> Step.Depart.INSTANCE;
        default ->
            throw n.error(
                "expected " + STEP_FORMS + "; got " + (n.isList() ? word : "'" + word + "'"));
      };
    }
    Set<String> keys = n.keys();
    if (keys.contains("loop")) {
      n.allowOnly(Set.of("loop", "do"));
      return loop(n, self);
    }
    if (keys.size() != 1) throw n.error("expected " + STEP_FORMS + "; got fields " + keys);
    String kind = keys.iterator().next();
    return switch (kind) {
      case "run" -> new Step.Run(n.field("run").dist());
      case "sleep" -> new Step.Sleep(n.field("sleep").dist());
      case "spawn" -> spawn(n.field("spawn"), self);
      case "hint" ->
          new Step.Hint(n.field("hint").integer("a hint (work class) >= 0", 0, Integer.MAX_VALUE));
      case "affinity" -> affinity(n.field("affinity"));
      case "nice" -> new Step.Nice(n.field("nice").integer("a nice value -20..19", -20, 19));
      default -> throw n.error("expected " + STEP_FORMS + "; got field '" + kind + "'");
    };
  }

  private Step affinity(Node n) {
    String what = "a list of distinct CPU ids >= 0 in ascending order, such as [0, 1]";
    List<Integer> ids = new ArrayList<>();
    String id = "a CPU id 0.." + (cpus - 1) + " (the machine has " + cpus + " CPUs)";
    for (Node c : n.list(what)) ids.add(c.integer(id, 0, cpus - 1));
    try {
      return new Step.Affinity(ids);
    } catch (IllegalArgumentException e) {
      throw n.error("expected " + what + "; got " + ids);
    }
  }

  private Step spawn(Node child, Inherited self) {
    child.fields("a task template such as {class: child, service: \"const(100us)\"}");
    child.allowOnly(TEMPLATE_KEYS);
    return new Step.Spawn(template(child, self, self.className()));
  }

  private Step loop(Node n, Inherited self) {
    Node times = n.field("loop");
    String what = "a repeat count >= 0, or -1 / forever";
    int count =
        times.present() && times.text(what).trim().equals("forever")
            ? -1
            : times.integer(what, -1, Integer.MAX_VALUE);
    return new Step.Loop(count, steps(n.field("do"), self));
  }

  private Arrival arrival(Node n, Program program) {
    n.fields("an arrival object such as {type: poisson, load: 0.7}");
    String type =
        n.field("type").text("an arrival type: poisson, fixed, pool or worker-pool").trim();
    return switch (type) {
      case "poisson" -> poisson(n, program);
      case "fixed" -> fixed(n);
      case "pool" -> {
        n.allowOnly(Set.of("type", "workers"));
        yield new Arrival.Pool(
            n.field("workers").integer("a number of workers >= 0", 0, Integer.MAX_VALUE));
      }
      case "worker-pool" -> workerPool(n, program);
      default ->
          throw n.field("type")
              .error(
                  "expected an arrival type: poisson, fixed, pool or worker-pool; got '"
                      + type
                      + "'");
    };
  }

  /**
   * {type: worker-pool, workers: N, load: L | rate: R}: the program is one request, which a worker
   * runs and then goes back to the pool, so it must end (no forever loop) and stay in its thread
   * (no spawn, no depart).
   */
  private Arrival workerPool(Node n, Program program) {
    n.allowOnly(Set.of("type", "workers", "rate", "load"));
    Node workers = n.field("workers");
    if (!workers.present())
      throw workers.error("missing; expected the number of worker threads (>= 1)");
    int w = workers.integer("a number of workers >= 1", 1, 1_000_000);
    for (Step s : program.steps()) requestStep(n, s);
    Arrival.Poisson p = (Arrival.Poisson) poissonRate(n, program);
    return new Arrival.WorkerPool(w, p.ratePerSecond());
  }

  private static void requestStep(Node n, Step s) {
    if (s instanceof Step.Spawn || s == Step.Depart.INSTANCE) {
      throw n.error(
          "a worker-pool request runs inside its worker thread: its program may run, sleep, yield"
              + " and loop a fixed number of times, not spawn or depart");
    }
    if (s instanceof Step.Loop l) {
      if (l.times() < 0)
        throw n.error("a worker-pool request must end: no forever loop in its program");
      for (Step b : l.body()) requestStep(n, b);
    }
  }

  private Arrival poisson(Node n, Program program) {
    n.allowOnly(Set.of("type", "rate", "load"));
    return poissonRate(n, program);
  }

  private Arrival poissonRate(Node n, Program program) {
    Node rate = n.field("rate");
    Node load = n.field("load");
    if (rate.present() == load.present()) {
      throw n.error(
          "a poisson arrival needs exactly one of rate (tasks per second) or load (utilisation per CPU)");
    }
    if (rate.present()) {
      double r = rate.number("a rate > 0 (tasks per second)");
      if (!(r > 0) || Double.isInfinite(r))
        throw rate.error("expected a rate > 0 (tasks per second); got " + r);
      return new Arrival.Poisson(r);
    }
    String what = "a load in (0, " + MAX_LOAD + "] (target utilisation per CPU)";
    double l = load.number(what);
    if (!(l > 0 && l <= MAX_LOAD)) throw load.error("expected " + what + "; got " + l);
    double meanNs = program.meanServiceNs();
    if (Double.isInfinite(meanNs) || Double.isNaN(meanNs)) {
      throw load.error(
          "load needs a program with a finite mean CPU demand, but this one loops forever; give rate instead");
    }
    if (!(meanNs > 0)) {
      throw load.error(
          "load needs a program with a positive mean CPU demand (it has none); give rate instead");
    }
    // Offered load per CPU = rate * E[S] / cpus, solved for the rate.
    return new Arrival.Poisson(l * cpus / meanNs * 1e9);
  }

  private Arrival fixed(Node n) {
    n.allowOnly(Set.of("type", "times", "count", "at", "every"));
    Node times = n.field("times");
    Node count = n.field("count");
    if (times.present() == count.present()) {
      throw n.error(
          "a fixed arrival needs exactly one of times = [durations] or count = N (with optional at, every)");
    }
    List<Long> out = new ArrayList<>();
    if (times.present()) {
      long previous = 0;
      for (Node t : times.list("a list of durations, e.g. [0ns, 1ms]")) {
        long ns = t.duration();
        if (ns < previous)
          throw t.error(
              "expected times in non-decreasing order; "
                  + Durations.format(ns)
                  + " follows "
                  + Durations.format(previous));
        out.add(ns);
        previous = ns;
      }
      return new Arrival.Fixed(out);
    }
    int c = count.integer("a count >= 0", 0, Integer.MAX_VALUE);
    Node at = n.field("at");
    Node every = n.field("every");
    long start = at.present() ? at.duration() : 0;
    long step = every.present() ? every.duration() : 0;
    for (int i = 0; i < c; i++) out.add(start + i * step);
    return new Arrival.Fixed(out);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    HashSet<String> u = new HashSet<>(a);
    u.addAll(b);
    return Set.copyOf(u);
  }
}
