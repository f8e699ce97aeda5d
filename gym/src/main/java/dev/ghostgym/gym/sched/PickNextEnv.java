package dev.ghostgym.gym.sched;

import dev.ghostgym.actors.agent.CentralizedAgents;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Fifo;
import dev.ghostgym.actors.policy.ForwardingPolicy;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TaskView;
import dev.ghostgym.actors.policy.TimeSlice;
import dev.ghostgym.config.Durations;
import dev.ghostgym.gym.spaces.Box;
import dev.ghostgym.gym.spaces.Dict;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.port.AgentHost;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ghost/PickNext-v0}: a centralized agent; when a CPU becomes free and several tasks wait,
 * the step picks which runs (slot i of the run queue, head first; the first {@code slots} tasks are
 * visible). With {@code slice} set (e.g. "30us"), a running task's slice expiry is a decision too:
 * action {@code slots} keeps it running, a slot index preempts it for that task, so preemptive
 * policies such as least-attained-service can be learned. The observation's {@code kind} says which
 * decision it is (0 pick, 1 slice), {@code running} describes the task whose slice expired. Task
 * features: waited, attained service, preemptions, nice, deadline slack, and the application hint
 * (the work class the application wrote into its PrioTable, as the agent last read it; 0 without
 * one) when {@code hint} is true (default false). Deadline slack is a simulator-only feature (a
 * live kernel reports no deadline): it is 0 unless {@code oracle_features} is true, and a model
 * trained with it is marked oracle. With {@code las_rank} true the observation gains {@code
 * las_rank}: each slot's place in least-attained-service order and how many queued tasks have
 * attained less than the running one (honest: attained service is the task's runtime). With {@code
 * queue_order=attained} (default {@code fifo}) tasks are queued in least-attained order, so the
 * visible slots are the ones LAS would run next. {@link #actionOf} maps a heuristic's answer to an
 * action, for behaviour cloning. {@link #observe}, {@link #mask} and {@link #answers} are public so
 * that a policy trained here sees decisions in simulate or live exactly as it did in training;
 * {@link #observeInto} and {@link #maskInto} give the same values into the caller's buffers without
 * allocating, for inference on the agent's thread.
 */
public final class PickNextEnv extends SchedulerEnv<Map<String, Object>> {
  static final Set<String> OWN =
      Set.of("slots", "slice", "hint", "oracle_features", "las_rank", "queue_order");
  private final int slots;
  private final long sliceNs;
  private final boolean hints;
  private final boolean slack;
  private final boolean lasRank;
  private final boolean attainedOrder;
  private final Dict observationSpace;
  private final Discrete actionSpace;

  /**
   * The workload parameter overrides in {@code options} (every key that is neither a common
   * environment option nor one of this environment's own), as this environment splits them: for
   * runs outside an episode that must simulate the same workload (evaluation, distillation).
   */
  public static Map<String, String> workloadOverrides(Map<String, Object> options) {
    return EnvOptions.parse(options, OWN).workloadOverrides();
  }

  public PickNextEnv(Map<String, Object> options) {
    super(options, OWN);
    slots = opts.intExtra("slots", 16);
    if (slots < 2) throw new IllegalArgumentException("slots: expected >= 2, got " + slots);
    Object slice = opts.extra().get("slice");
    sliceNs = slice == null ? 0 : Durations.parseNanos(String.valueOf(slice), "slice");
    hints = Boolean.parseBoolean(String.valueOf(opts.extra().getOrDefault("hint", "false")));
    slack = flag("oracle_features");
    lasRank = flag("las_rank");
    String order = String.valueOf(opts.extra().getOrDefault("queue_order", "fifo")).trim();
    if (!order.equals("fifo") && !order.equals("attained"))
      throw new IllegalArgumentException(
          "queue_order: expected fifo or attained, got '" + order + "'");
    attainedOrder = order.equals("attained");
    float b = TaskFeatures.BOUND;
    var spaces =
        Dict.builder()
            .put("kind", new Discrete(2))
            .put("running", new Box(-b, b, TaskFeatures.TASK))
            .put("slots", new Box(-b, b, slots * TaskFeatures.TASK))
            .put("cpus", new Box(-b, b, opts.cpus() * TaskFeatures.CPU));
    if (lasRank) spaces.put("las_rank", new Box(0, b, slots + 1));
    observationSpace = spaces.build();
    actionSpace = new Discrete(slots + 1);
  }

  private boolean flag(String key) {
    String v = String.valueOf(opts.extra().getOrDefault(key, "false")).trim();
    if (!v.equals("true") && !v.equals("false"))
      throw new IllegalArgumentException(key + ": expected true or false, got '" + v + "'");
    return v.equals("true");
  }

  @Override
  public Space<Map<String, Object>> observationSpace() {
    return observationSpace;
  }

  @Override
  public Space<Integer> actionSpace() {
    return actionSpace;
  }

  @Override
  protected int actionCount() {
    return slots + 1;
  }

  /** True when the observation has features a live kernel cannot provide (deadline slack). */
  public boolean oracleFeatures() {
    return slack;
  }

  /** True when tasks show their application hint. */
  public boolean hints() {
    return hints;
  }

  /** Visible run-queue slots; action {@code slots()} keeps the running task. */
  public int slots() {
    return slots;
  }

  @Override
  public Policy basePolicy() {
    Policy base = sliceNs > 0 ? new TimeSlice("rr", sliceNs) : new Fifo(Policy.Model.CENTRALIZED);
    return attainedOrder ? new AttainedOrder(base) : base;
  }

  /**
   * Queues each task behind every queued task with as little or less attained service, ahead of
   * those with more (option {@code queue_order=attained}): the run queue stays in
   * least-attained-service order, first come first among equals (a queued task's attained service
   * does not change), so the visible slots are the tasks LAS would run next. With FIFO order a
   * policy that starves long tasks fills the first slots with them, and a short task that arrives
   * behind {@code slots} of them cannot be chosen at all. The agent owns its queue's order, so a
   * live agent can keep it too.
   */
  private static final class AttainedOrder extends ForwardingPolicy {
    AttainedOrder(Policy base) {
      super(base);
    }

    @Override
    public int decide(DecisionRequest r) {
      if (r.kind() != DecisionRequest.Kind.INSERT) return inner.decide(r);
      long a = r.task().attainedNs();
      List<? extends TaskView> rq = r.runQueue();
      int at = rq.size();
      while (at > 0 && rq.get(at - 1).attainedNs() > a) at--;
      return at;
    }
  }

  @Override
  protected AgentHost agents(PolicyGuard guard) {
    return new CentralizedAgents(guard);
  }

  @Override
  protected boolean exposed(DecisionRequest r) {
    return r.kind() == DecisionRequest.Kind.PICK || r.kind() == DecisionRequest.Kind.SLICE;
  }

  @Override
  public boolean[] mask(DecisionRequest r) {
    boolean[] m = new boolean[slots + 1];
    maskInto(r, m);
    return m;
  }

  /** {@link #mask} into {@code m} (length slots + 1). */
  public void maskInto(DecisionRequest r, boolean[] m) {
    int n = Math.min(slots, r.runQueue().size());
    for (int i = 0; i < slots; i++) m[i] = i < n;
    m[slots] = r.kind() == DecisionRequest.Kind.SLICE;
  }

  @Override
  public int[] answers(DecisionRequest r, int action) {
    if (r.kind() == DecisionRequest.Kind.PICK) return new int[] {action};
    if (action == slots) return new int[] {0};
    // Preempt, then the agents ask which task goes there (unless only one waits).
    return r.runQueue().size() >= 2 ? new int[] {1, action} : new int[] {1};
  }

  /**
   * The action by which this environment gives {@code r} the answer {@code teacher} gives it: the
   * inverse of {@link #answers}, for learning from a heuristic's demonstrations (behaviour
   * cloning). A PICK is the teacher's slot; a SLICE is {@code slots} when the teacher keeps the
   * running task, else the slot the teacher then picks on the same run queue (slot 0 when one task
   * waits, as {@link #answers} asks no PICK then). -1 when the teacher's answer is not an action
   * here (a task beyond the visible slots, an idle CPU), or {@code r} is not a step.
   */
  public int actionOf(DecisionRequest r, Policy teacher) {
    if (!exposed(r)) return -1;
    int action;
    if (r.kind() == DecisionRequest.Kind.PICK) {
      action = teacher.decide(r);
    } else if (teacher.decide(r) == 0) {
      action = slots;
    } else if (r.runQueue().size() < 2) {
      action = 0;
    } else {
      DecisionRequest pick =
          new DecisionRequest(
              r.id(),
              DecisionRequest.Kind.PICK,
              r.trigger(),
              r.cpu(),
              null,
              r.runQueue(),
              r.cpus(),
              r.nowNs());
      action = teacher.decide(pick);
    }
    int n = Math.min(slots, r.runQueue().size());
    boolean valid =
        action == slots ? r.kind() == DecisionRequest.Kind.SLICE : action >= 0 && action < n;
    return valid ? action : -1;
  }

  @Override
  public Map<String, Object> observe(DecisionRequest r) {
    Map<String, Object> o = new LinkedHashMap<>();
    boolean slice = r.kind() == DecisionRequest.Kind.SLICE;
    o.put("kind", slice ? 1 : 0);
    float[] running = new float[TaskFeatures.TASK];
    if (slice) TaskFeatures.task(running, 0, r.task(), r.nowNs(), hints, slack);
    o.put("running", running);
    o.put("slots", TaskFeatures.tasks(r.runQueue(), slots, r.nowNs(), hints, slack));
    o.put("cpus", TaskFeatures.cpus(r.cpus(), opts.cpus()));
    if (lasRank) {
      float[] ranks = new float[slots + 1];
      TaskFeatures.lasRanksInto(ranks, 0, r.runQueue(), slots, slice ? r.task() : null);
      o.put("las_rank", ranks);
    }
    return o;
  }

  /**
   * The flattened observation ({@code observationSpace().flatten(observe(r))}) written into {@code
   * out} (length {@code observationSpace().flatDim()}) without allocating: kind one-hot, running
   * task, slots, CPUs.
   */
  public void observeInto(DecisionRequest r, float[] out) {
    boolean slice = r.kind() == DecisionRequest.Kind.SLICE;
    out[0] = slice ? 0 : 1;
    out[1] = slice ? 1 : 0;
    Arrays.fill(out, 2, 2 + TaskFeatures.TASK, 0f);
    if (slice) TaskFeatures.task(out, 2, r.task(), r.nowNs(), hints, slack);
    int at = 2 + TaskFeatures.TASK;
    TaskFeatures.tasksInto(out, at, r.runQueue(), slots, r.nowNs(), hints, slack);
    at += slots * TaskFeatures.TASK;
    TaskFeatures.cpusInto(out, at, r.cpus(), opts.cpus());
    at += opts.cpus() * TaskFeatures.CPU;
    if (lasRank) TaskFeatures.lasRanksInto(out, at, r.runQueue(), slots, slice ? r.task() : null);
  }

  @Override
  protected Map<String, Object> finalObservation() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("kind", 0);
    o.put("running", new float[TaskFeatures.TASK]);
    o.put("slots", new float[slots * TaskFeatures.TASK]);
    o.put("cpus", new float[opts.cpus() * TaskFeatures.CPU]);
    if (lasRank) o.put("las_rank", new float[slots + 1]);
    return o;
  }
}
