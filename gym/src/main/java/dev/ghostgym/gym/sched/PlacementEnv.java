package dev.ghostgym.gym.sched;

import dev.ghostgym.actors.agent.PerCpuAgents;
import dev.ghostgym.actors.policy.CpuView;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Fifo;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.gym.spaces.Box;
import dev.ghostgym.gym.spaces.Dict;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.port.AgentHost;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code ghost/Placement-v0}: per-CPU FIFO agents; on TASK_NEW and on the first wakeup of a task
 * that never had a CPU, the step chooses the CPU it belongs to (Discrete(cpus); CPUs that serve no
 * task are masked). The observation is the task's features and, per CPU, whether it is busy, its
 * task's attained service, whether CFS has it, and its run-queue length.
 */
public final class PlacementEnv extends SchedulerEnv<Map<String, Object>> {
  static final Set<String> OWN = Set.of("hint");
  private final boolean hints;
  private final Dict observationSpace;
  private final Discrete actionSpace;

  public PlacementEnv(Map<String, Object> options) {
    super(options, OWN);
    hints = Boolean.parseBoolean(String.valueOf(opts.extra().getOrDefault("hint", "false")));
    float b = TaskFeatures.BOUND;
    observationSpace =
        Dict.builder()
            .put("task", new Box(-b, b, TaskFeatures.TASK))
            .put("cpus", new Box(-b, b, opts.cpus() * TaskFeatures.CPU))
            .build();
    actionSpace = new Discrete(opts.cpus());
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
    return opts.cpus();
  }

  @Override
  protected Policy basePolicy() {
    return new Fifo(Policy.Model.PER_CPU);
  }

  @Override
  protected AgentHost agents(PolicyGuard guard) {
    return new PerCpuAgents(guard);
  }

  @Override
  protected boolean exposed(DecisionRequest r) {
    return r.kind() == DecisionRequest.Kind.PLACE;
  }

  @Override
  protected boolean[] mask(DecisionRequest r) {
    boolean[] m = new boolean[opts.cpus()];
    for (CpuView c : r.cpus()) if (c.cpu() < m.length) m[c.cpu()] = true;
    return m;
  }

  @Override
  protected int[] answers(DecisionRequest r, int action) {
    return new int[] {action};
  }

  @Override
  protected Map<String, Object> observe(DecisionRequest r) {
    Map<String, Object> o = new LinkedHashMap<>();
    float[] task = new float[TaskFeatures.TASK];
    TaskFeatures.task(task, 0, r.task(), r.nowNs(), hints, false);
    o.put("task", task);
    o.put("cpus", TaskFeatures.cpus(r.cpus(), opts.cpus()));
    return o;
  }

  @Override
  protected Map<String, Object> finalObservation() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("task", new float[TaskFeatures.TASK]);
    o.put("cpus", new float[opts.cpus() * TaskFeatures.CPU]);
    return o;
  }
}
