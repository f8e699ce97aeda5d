package dev.ghostgym.gym.sched;

import dev.ghostgym.actors.agent.CentralizedAgents;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Fifo;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TimeSlice;
import dev.ghostgym.config.Durations;
import dev.ghostgym.gym.spaces.Box;
import dev.ghostgym.gym.spaces.Dict;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.port.AgentHost;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
 * trained with it is marked oracle. {@link #observe}, {@link #mask} and {@link #answers} are public
 * so that a policy trained here sees decisions in simulate or live exactly as it did in training;
 * {@link #observeInto} and {@link #maskInto} give the same values into the caller's buffers without
 * allocating, for inference on the agent's thread.
 */
public final class PickNextEnv extends SchedulerEnv<Map<String, Object>> {
  static final Set<String> OWN = Set.of("slots", "slice", "hint", "oracle_features");
  private final int slots;
  private final long sliceNs;
  private final boolean hints;
  private final boolean slack;
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
    slack =
        Boolean.parseBoolean(String.valueOf(opts.extra().getOrDefault("oracle_features", "false")));
    float b = TaskFeatures.BOUND;
    observationSpace =
        Dict.builder()
            .put("kind", new Discrete(2))
            .put("running", new Box(-b, b, TaskFeatures.TASK))
            .put("slots", new Box(-b, b, slots * TaskFeatures.TASK))
            .put("cpus", new Box(-b, b, opts.cpus() * TaskFeatures.CPU))
            .build();
    actionSpace = new Discrete(slots + 1);
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
    return sliceNs > 0 ? new TimeSlice("rr", sliceNs) : new Fifo(Policy.Model.CENTRALIZED);
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
    TaskFeatures.cpusInto(out, at + slots * TaskFeatures.TASK, r.cpus(), opts.cpus());
  }

  @Override
  protected Map<String, Object> finalObservation() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("kind", 0);
    o.put("running", new float[TaskFeatures.TASK]);
    o.put("slots", new float[slots * TaskFeatures.TASK]);
    o.put("cpus", new float[opts.cpus() * TaskFeatures.CPU]);
    return o;
  }
}
