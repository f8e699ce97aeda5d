package dev.ghostgym.gym.sched;

import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.ForwardingPolicy;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.config.Workload;
import dev.ghostgym.config.Workloads;
import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.sim.Machine;
import dev.ghostgym.sim.Overheads;
import dev.ghostgym.sim.SimConfig;
import dev.ghostgym.sim.SimResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A scheduling environment on the simulator: each step answers one decision of the agents (where to
 * queue a task, which task runs, which CPU a task gets). Between steps the simulation runs until
 * the agents ask the next exposed question; the question pauses the simulation at that instant
 * (Batsim-style), so no thread waits and a step costs only the simulation work in between. An
 * episode ends (terminated) when the workload's tasks are all done; TimeLimit truncates.
 *
 * <p>Subclasses say which questions are steps, how a question is observed, which actions are valid
 * and how an action answers it.
 */
abstract class SchedulerEnv<O> extends Env<O, Integer> {
  protected final EnvOptions opts;
  private final Randomization randomization;
  protected Machine machine;
  protected ExternalPolicy external;
  private PolicyGuard guard;
  private Rewards rewards;
  private boolean done = true;
  private boolean endedAtReset; // the whole episode ran inside reset: no decision was ever asked
  private boolean[] pendingMask;
  private long invalidActions;
  private long steps;

  protected SchedulerEnv(Map<String, Object> options, Set<String> own) {
    this.opts = EnvOptions.parse(options, own);
    this.randomization = Randomization.parse(options);
  }

  /** The default policy for what the environment does not ask (it also fixes the agents' model). */
  protected abstract Policy basePolicy();

  /**
   * The option {@code policy_fallback} if given (a registered policy of the same model as the
   * default, keeping the default's time slice, which decides whether slice expiries are steps),
   * else the default. Public so that a policy learned on this environment answers the questions the
   * environment did not ask with the same policy as in training.
   */
  public Policy fallbackPolicy(long seed) {
    Policy dflt = basePolicy();
    if (opts.policyFallback() == null) return dflt;
    Policy p = Policies.policy(opts.policyFallback(), Map.of(), seed);
    if (p.model() != dflt.model()) {
      throw new IllegalArgumentException(
          "policy_fallback: this environment runs "
              + dflt.model().name().toLowerCase()
              + " agents; "
              + p.name()
              + " needs "
              + p.model().name().toLowerCase()
              + " ones");
    }
    // The fallback's answers, name and model; the default's slice and arrival behaviour (the
    // defaults never preempt on arrival), so that the same questions are steps as without it.
    return new ForwardingPolicy(p) {
      @Override
      public long sliceNs() {
        return dflt.sliceNs();
      }

      @Override
      public SliceStyle sliceStyle() {
        return dflt.sliceStyle();
      }

      @Override
      public boolean preemptsOnArrival() {
        return false;
      }
    };
  }

  /** Whether this question is a step. */
  protected abstract boolean exposed(DecisionRequest r);

  /** The agents for this environment. */
  protected abstract AgentHost agents(PolicyGuard guard);

  protected abstract O observe(DecisionRequest r);

  /** The observation after the episode ended (all zeros of the right shape). */
  protected abstract O finalObservation();

  protected abstract boolean[] mask(DecisionRequest r);

  /** The answers to give the agents for a valid {@code action}. */
  protected abstract int[] answers(DecisionRequest r, int action);

  /** Simulated agent time charged per decision (option {@code decision_cost_ns}). */
  public long decisionCostNs() {
    return opts.decisionCostNs();
  }

  /** Called when the simulation for a new episode exists, before it runs. */
  protected void onMachine(Machine m) {}

  @Override
  public Reset<O> reset(Long seed, Map<String, Object> options) {
    seedNpRandom(seed);
    long simSeed = seed != null ? seed : npRandom().nextLong();
    Map<String, String> overrides = new LinkedHashMap<>(opts.workloadOverrides());
    if (randomization.active()) randomization.draw(npRandom(), overrides);
    if (options != null) options.forEach((k, v) -> overrides.put(k, String.valueOf(v)));
    Workload w = Workloads.load(opts.workload(), overrides, opts.cpus());
    SimConfig cfg =
        new SimConfig(
            opts.cpus(),
            simSeed,
            Overheads.parse(opts.overheads()),
            1_000_000,
            false,
            SimConfig.cfsMinGranularityNs(opts.cpus()),
            opts.tasks(),
            opts.durationNs(),
            false);
    external = new ExternalPolicy(fallbackPolicy(simSeed), this::exposed, opts.decisionCostNs());
    guard = new PolicyGuard(external, Long.MAX_VALUE);
    machine = new Machine(cfg, w, agents(guard));
    rewards = new Rewards(opts.reward(), opts.p99TargetNs());
    machine.taskLog(rewards::finished);
    onMachine(machine);
    invalidActions = 0;
    steps = 0;
    boolean paused = machine.runUntilPause();
    rewards.collect(machine.waitingTimeNs()); // the first step's reward starts here
    done = false;
    endedAtReset = !paused;
    O obs = paused ? observe(external.pending()) : finalObservation();
    return new Reset<>(obs, info(paused));
  }

  @Override
  public Step<O> step(Integer action) {
    if (done) throw new IllegalStateException("step after the episode ended: call reset() first");
    if (endedAtReset) {
      // A light workload can finish without one exposed decision: the first step ends the episode.
      endedAtReset = false;
      done = true;
      boolean cut = timeLimited();
      return new Step<>(
          finalObservation(), rewards.collect(machine.waitingTimeNs()), !cut, cut, info(false));
    }
    DecisionRequest q = external.pending();
    boolean[] valid = pendingMask; // computed once, for the info that showed this question
    steps++;
    if (action == null || action < 0 || action >= valid.length || !valid[action]) {
      invalidActions++;
      if (opts.terminateOnInvalid()) {
        done = true;
        return new Step<>(finalObservation(), -1.0, true, false, info(false));
      }
      external.answer(external.base().decide(q)); // the deterministic fallback, counted in info
    } else {
      external.answer(answers(q, action));
    }
    boolean paused = machine.runUntilPause();
    double reward = rewards.collect(machine.waitingTimeNs());
    done = !paused;
    O obs = paused ? observe(external.pending()) : finalObservation();
    boolean cut = !paused && timeLimited();
    return new Step<>(obs, reward, !paused && !cut, cut, info(paused));
  }

  /**
   * Whether the episode was cut short rather than finished: the {@code duration} option stopped the
   * simulation before the workload was done (or the simulator stopped an unstable run). In
   * Gymnasium's terms that is a truncation, not a terminal state: the value of the last state is
   * not zero, and a learner must bootstrap it.
   */
  private boolean timeLimited() {
    var r = machine.result();
    if (r == null) return false;
    if (r.wasStopped()) return true;
    return opts.durationNs() > 0 && r.endNs() >= opts.durationNs();
  }

  private Map<String, Object> info(boolean paused) {
    Map<String, Object> info = new LinkedHashMap<>();
    pendingMask = paused ? mask(external.pending()) : new boolean[actionCount()];
    info.put("action_mask", pendingMask);
    info.put("now_ns", machine.now());
    info.put("invalid_actions", invalidActions);
    if (paused) {
      DecisionRequest q = external.pending();
      info.put("decision", q.kind().name());
      info.put("trigger", q.trigger().name());
      info.put("cpu", q.cpu());
    } else {
      // The run's metrics; an episode cut short (invalid action) reports them as they stand.
      SimResult r = machine.result();
      var x = machine.metrics();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tasks_completed", x.completed());
      m.put(
          "response_mean_us", x.meanResponseNs() / 1e3); // exact, not the histogram's rounded mean
      m.put("response_p99_us", x.response().p99());
      m.put("wait_total_ms", machine.waitingTimeNs() / 1e6);
      if (r != null) {
        m.put("utilization", r.utilization());
        m.put("trace_sha256", r.traceSha256());
      }
      m.put("fallbacks", guard.fallbacks());
      m.put("decision_cost_ns", opts.decisionCostNs());
      m.put("decisions", external.decisions());
      m.put("decision_time_ns", machine.agentSpentNs());
      m.put("steps", steps);
      info.put("metrics", m);
    }
    return info;
  }

  /** Size of the action space (for an all-false mask at the end). */
  protected abstract int actionCount();

  /** The simulation of the current episode (for tests and recording). */
  public Machine machine() {
    return machine;
  }

  @Override
  public void close() {
    done = true;
  }

  /** ln(1 + x), clipped to [0, cap], for features spanning orders of magnitude. */
  static float ln1p(double x, float cap) {
    // log(1 + x), not log1p: an intrinsic (log1p is not), equal in float for x >= 1e-6, so the
    // agent-side feature writer stays cheap.
    return (float) Math.min(cap, Math.log(1 + Math.max(0, x)));
  }
}
