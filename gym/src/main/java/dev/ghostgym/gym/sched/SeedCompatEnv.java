package dev.ghostgym.gym.sched;

import dev.ghostgym.abi.Message;
import dev.ghostgym.actors.agent.AgentTask;
import dev.ghostgym.actors.agent.PerCpuAgents;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.DecisionRequest.Trigger;
import dev.ghostgym.actors.policy.Fifo;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TaskView;
import dev.ghostgym.gym.spaces.Box;
import dev.ghostgym.gym.spaces.Dict;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.spaces.Tuple;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.TaskStat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ghost/SeedCompat-v0}: the earlier prototype's environment (docs/KERNEL-MODEL.md section
 * 2.13) on the simulator. Per-CPU FIFO agents; at every actionable event (TASK_NEW runnable, a
 * first wakeup, TASK_YIELD, TASK_PREEMPT) the step chooses the position at which the task is
 * inserted into its CPU's run queue. The observation is a Tuple of the last {@code
 * max_prev_events_stored} non-actionable events (TASK_BLOCKED, TASK_DEPARTED, TASK_DEAD, later
 * wakeups; oldest first, padded with callback_type 7 = none) and then the actionable one; each is a
 * Dict of {@code callback_type}, {@code task_metrics} and {@code runqueue} ({@code
 * runqueue_cutoff_length} entries, padded with zeros), as the prototype built them from /proc:
 * run_state, cpu_num, preempted, and utime, stime, guest_time, vsize as ln(x) capped at 16 (ln 0 =
 * 0). utime is the task's CPU time in clock ticks (USER_HZ 100); the simulator charges no system or
 * guest time; vsize is the option {@code vsize_bytes}. A prio-boosted task (preempted, or woken
 * without WF_DEFERRABLE) goes to the front whatever the action, as in the prototype, so its mask
 * allows only 0. Reward: the option {@code reward} ({@code none} = the prototype's 0).
 */
public final class SeedCompatEnv extends SchedulerEnv<List<Object>> {
  static final Set<String> OWN =
      Set.of("max_prev_events_stored", "runqueue_cutoff_length", "vsize_bytes");
  private static final float CAP = 16f;
  private static final int NONE = 7;

  private final int prev;
  private final int cutoff;
  private final float vsize;
  private final Tuple observationSpace;
  private final Discrete actionSpace;
  private final ArrayDeque<float[]> history = new ArrayDeque<>();
  private PerCpuAgents agents;

  public SeedCompatEnv(Map<String, Object> options) {
    super(options, OWN);
    prev = opts.intExtra("max_prev_events_stored", 2);
    cutoff = opts.intExtra("runqueue_cutoff_length", 8);
    if (prev < 0)
      throw new IllegalArgumentException("max_prev_events_stored: expected >= 0, got " + prev);
    if (cutoff < 1)
      throw new IllegalArgumentException("runqueue_cutoff_length: expected >= 1, got " + cutoff);
    long bytes = EnvOptions.longOption(opts.extra(), "vsize_bytes", 256L << 20);
    vsize = ln1p(bytes - 1, CAP); // ln(bytes)
    Dict metrics = metricsSpace(opts.cpus());
    List<Space<?>> rq = new ArrayList<>();
    for (int i = 0; i < cutoff; i++) rq.add(metrics);
    Dict event =
        Dict.builder()
            .put("callback_type", new Discrete(8))
            .put("task_metrics", metrics)
            .put("runqueue", new Tuple(rq))
            .build();
    List<Space<?>> events = new ArrayList<>();
    for (int i = 0; i <= prev; i++) events.add(event);
    observationSpace = new Tuple(events);
    actionSpace = new Discrete(cutoff);
  }

  static Dict metricsSpace(int cpus) {
    return Dict.builder()
        .put("run_state", new Discrete(4))
        .put("cpu_num", new Discrete(cpus))
        .put("preempted", new Discrete(2))
        .put("utime", new Box(0f, CAP, 1))
        .put("stime", new Box(0f, CAP, 1))
        .put("guest_time", new Box(0f, CAP, 1))
        .put("vsize", new Box(0f, CAP, 1))
        .build();
  }

  @Override
  public Space<List<Object>> observationSpace() {
    return observationSpace;
  }

  @Override
  public Space<Integer> actionSpace() {
    return actionSpace;
  }

  @Override
  protected int actionCount() {
    return cutoff;
  }

  @Override
  protected Policy basePolicy() {
    return new Fifo(Policy.Model.PER_CPU);
  }

  @Override
  protected AgentHost agents(PolicyGuard guard) {
    agents = new PerCpuAgents(guard, true);
    return agents;
  }

  @Override
  protected void onMachine(Machine m) {
    history.clear();
    m.deliveredTap(this::delivered);
  }

  @Override
  protected boolean exposed(DecisionRequest r) {
    if (r.kind() != DecisionRequest.Kind.INSERT) return false;
    return switch (r.trigger()) {
      case TASK_NEW, TASK_WAKEUP_FIRST, TASK_YIELD, TASK_PREEMPT -> true;
      case TASK_WAKEUP,
          TASK_BLOCKED,
          TASK_DEPARTED,
          TASK_DEAD,
          TXN_FAILED,
          CPU_IDLE,
          SLICE,
          ARRIVAL,
          SKIPPED ->
          false;
    };
  }

  @Override
  protected boolean[] mask(DecisionRequest r) {
    boolean[] m = new boolean[cutoff];
    int last = r.task().boosted() ? 0 : Math.min(r.runQueue().size(), cutoff - 1);
    for (int i = 0; i <= last; i++) m[i] = true;
    return m;
  }

  @Override
  protected int[] answers(DecisionRequest r, int action) {
    return new int[] {action};
  }

  @Override
  protected List<Object> observe(DecisionRequest r) {
    List<Object> obs = new ArrayList<>(prev + 1);
    int pad = prev - history.size();
    for (int i = 0; i < pad; i++) obs.add(event(new float[] {NONE}));
    for (float[] e : history) obs.add(event(e));
    obs.add(event(snapshot(callback(r.trigger()), r.task(), 2, r.cpu(), r.runQueue())));
    return obs;
  }

  @Override
  protected List<Object> finalObservation() {
    List<Object> obs = new ArrayList<>(prev + 1);
    for (int i = 0; i <= prev; i++) obs.add(event(new float[] {NONE}));
    return obs;
  }

  private static int callback(Trigger trigger) {
    return switch (trigger) {
      case TASK_NEW -> 0;
      case TASK_WAKEUP, TASK_WAKEUP_FIRST -> 1;
      case TASK_DEPARTED -> 2;
      case TASK_DEAD -> 3;
      case TASK_YIELD -> 4;
      case TASK_BLOCKED -> 5;
      case TASK_PREEMPT -> 6;
      case TXN_FAILED, CPU_IDLE, SLICE, ARRIVAL, SKIPPED -> NONE;
    };
  }

  /** Records the non-actionable events the prototype's agent reported (info only, no action). */
  private void delivered(Message m) {
    if (prev == 0 || !m.type().isTaskMessage()) return;
    int cb;
    switch (m.type()) {
      case TASK_BLOCKED -> cb = 5;
      case TASK_DEPARTED -> cb = 2;
      case TASK_DEAD -> cb = 3;
      case TASK_WAKEUP -> {
        AgentTask t = agents.task(m.gtid());
        if (t == null || t.cpu < 0) return; // a first wakeup is actionable
        cb = 1;
      }
      default -> {
        return;
      }
    }
    AgentTask t = agents.task(m.gtid());
    int cpu = t == null ? -1 : t.cpu;
    int state = cb == 1 ? 1 : 0;
    float[] e = snapshot(cb, t, state, cpu, cpu >= 0 ? agents.runQueue(cpu) : List.of());
    if (history.size() == prev) history.pollFirst();
    history.addLast(e);
  }

  /** Packs an event: callback, the task's 7 fields, then 7 per queued task (up to the cutoff). */
  private float[] snapshot(
      int cb, TaskView task, int runState, int cpu, List<? extends TaskView> rq) {
    int n = Math.min(rq.size(), cutoff);
    float[] e = new float[1 + 7 * (1 + n)];
    e[0] = cb;
    fill(e, 1, task, runState, cpu);
    for (int i = 0; i < n; i++) {
      TaskView q = rq.get(i);
      fill(e, 8 + 7 * i, q, 2, cpu);
    }
    return e;
  }

  private void fill(float[] e, int at, TaskView t, int runState, int cpu) {
    long runtime = 0;
    boolean preempted = false;
    if (t != null) {
      TaskStat s = machine.taskStat(t.gtid());
      runtime = s == null ? t.attainedNs() : s.runtimeNs();
      preempted = t instanceof AgentTask a && a.preempted;
    }
    e[at] = runState;
    e[at + 1] = Math.max(0, Math.min(cpu, opts.cpus() - 1)); // cpu -1 (none yet) observed as 0
    e[at + 2] = preempted ? 1 : 0;
    e[at + 3] = ln1p(runtime / 10_000_000 - 1, CAP); // utime: ln(clock ticks), ln 0 = 0
    e[at + 4] = 0;
    e[at + 5] = 0;
    e[at + 6] = vsize;
  }

  private Map<String, Object> event(float[] e) {
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("callback_type", (int) e[0]);
    ev.put("task_metrics", metrics(e, 1));
    List<Object> rq = new ArrayList<>(cutoff);
    int n = e.length <= 1 ? 0 : (e.length - 8) / 7;
    for (int i = 0; i < cutoff; i++) rq.add(i < n ? metrics(e, 8 + 7 * i) : metrics(null, 0));
    ev.put("runqueue", rq);
    return ev;
  }

  private static Map<String, Object> metrics(float[] e, int at) {
    boolean present = e != null && e.length > at + 6;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_state", present ? (int) e[at] : 0);
    m.put("cpu_num", present ? (int) e[at + 1] : 0);
    m.put("preempted", present ? (int) e[at + 2] : 0);
    m.put("utime", new float[] {present ? e[at + 3] : 0});
    m.put("stime", new float[] {present ? e[at + 4] : 0});
    m.put("guest_time", new float[] {present ? e[at + 5] : 0});
    m.put("vsize", new float[] {present ? e[at + 6] : 0});
    return m;
  }
}
