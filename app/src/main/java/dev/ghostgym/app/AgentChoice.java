package dev.ghostgym.app;

import dev.ghostgym.actors.agent.AgentEngine;
import dev.ghostgym.actors.agent.CentralizedAgents;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.config.Durations;
import dev.ghostgym.learn.Checkpoint;
import dev.ghostgym.learn.LearnError;
import dev.ghostgym.learn.deploy.Deployment;
import dev.ghostgym.learn.deploy.FastPolicy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The agents for a {@code --policy} value, the same for every command that takes one: a name from
 * the registry ({@code ghost-gym policies}) or {@code model:DIR}, a policy learned by {@code
 * ghost-gym train} (centralized agents, answering through the guard like any policy), in the form
 * {@code policy.form} (mlp, the default; tree; djl) charging its calibrated decision cost. Every
 * decision is charged: {@code policy.decision_cost} sets the cost, {@code none} opts out (and every
 * output says so); without it, heuristics pay {@link Policies#HEURISTIC_DECISION_NS} and models
 * their cost measured at export, both 0 for the ideal agent ({@code --overheads none}).
 */
public final class AgentChoice {
  public static final String MODEL = "model:";
  private static final Set<String> MODEL_PARAMS =
      Set.of("deadline", "decision_cost", "cost", "form");

  private AgentChoice() {}

  /** The agents and what each decision costs them, with where that cost came from. */
  public record Choice(
      AgentEngine agents, Map<String, String> params, long decisionCostNs, String decisionCost) {}

  public static boolean isModel(String policy) {
    return policy.startsWith(MODEL);
  }

  /** For live runs: real time is what a decision costs there, nothing is charged. */
  static AgentEngine create(String policy, Map<String, String> params, long seed) {
    if (!isModel(policy)) return Policies.create(policy, params, seed);
    Map<String, String> p = new LinkedHashMap<>(params);
    p.putIfAbsent("decision_cost", "none");
    return choose(policy, p, seed, false).agents();
  }

  /** For simulation: the decision cost charged by default, as the class comment says. */
  public static Choice choose(
      String policy, Map<String, String> params, long seed, boolean paperOverheads) {
    return choose(policy, params, seed, paperOverheads, 0);
  }

  /**
   * {@link #choose} for a machine of {@code cpus} CPUs (0: not checked): a model must have been
   * trained for that many (its observations and answers assume them).
   */
  public static Choice choose(
      String policy, Map<String, String> params, long seed, boolean paperOverheads, int cpus) {
    if (!isModel(policy)) {
      Map<String, String> p = Policies.withDefaultCost(params, paperOverheads);
      AgentEngine a = Policies.create(policy, p, seed);
      return new Choice(a, p, Policies.decisionCostNs(p), note(params, p, "heuristic default"));
    }
    for (String k : params.keySet()) {
      if (!MODEL_PARAMS.contains(k)) {
        throw new InputError(
            "policy."
                + k
                + ": a model policy takes "
                + MODEL_PARAMS.stream().sorted().map(x -> "policy." + x).toList());
      }
    }
    FastPolicy.Form form;
    try {
      form = FastPolicy.Form.parse(params.getOrDefault("form", Deployment.DEFAULT_FORM.id()));
    } catch (IllegalArgumentException e) {
      throw new InputError(e.getMessage());
    }
    long deadline =
        Inputs.parse(
            "policy.deadline",
            () -> Durations.parseNanos(params.getOrDefault("deadline", "1ms"), "policy.deadline"));
    Path dir = Path.of(policy.substring(MODEL.length()));
    Checkpoint trained;
    try {
      trained = Checkpoint.read(dir); // a path that holds no model is the user's input (exit 2)
    } catch (LearnError e) {
      throw new InputError("--policy " + policy + ": " + e.getMessage());
    }
    Object trainedCpus = trained.options().get("cpus");
    if (cpus > 0
        && trainedCpus != null
        && !String.valueOf(trainedCpus).equals(String.valueOf(cpus))) {
      throw new InputError(
          "--cpus "
              + cpus
              + ": the model in "
              + dir
              + " was trained for "
              + trainedCpus
              + " CPUs (its observations and answers assume them); run it with --cpus "
              + trainedCpus);
    }
    Long cost =
        Policies.costGiven(params)
            ? Long.valueOf(Policies.decisionCostNs(params))
            : paperOverheads ? null : 0L;
    // An unexported checkpoint is a LearnError: one line, exit 1, as a missing engine.
    Deployment.Loaded l = Deployment.load(dir, form, cost);
    String note =
        Policies.costGiven(params)
            ? note(params, params, "")
            : paperOverheads ? l.costSource() : "0 (ideal agent: --overheads none)";
    Map<String, String> p = new LinkedHashMap<>(params);
    p.putIfAbsent("form", form.id());
    p.putIfAbsent("decision_cost", l.costNs() + "ns");
    return new Choice(
        new CentralizedAgents(new PolicyGuard(l.policy(), deadline)), p, l.costNs(), note);
  }

  private static String note(Map<String, String> asked, Map<String, String> used, String dflt) {
    String v = asked.containsKey("decision_cost") ? asked.get("decision_cost") : asked.get("cost");
    if ("none".equals(v)) return "none (explicit opt-out: decisions are free)";
    if (v != null) return "set (policy.decision_cost)";
    return "0ns".equals(used.get("decision_cost")) ? "0 (ideal agent: --overheads none)" : dflt;
  }
}
