package dev.ghostgym.app;

import dev.ghostgym.actors.agent.AgentEngine;
import dev.ghostgym.actors.agent.CentralizedAgents;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.config.Durations;
import dev.ghostgym.learn.LearnedPolicy;
import java.nio.file.Path;
import java.util.Map;

/**
 * The agents for a {@code --policy} value, the same for every command that takes one: a name from
 * the registry ({@code ghost-gym policies}) or {@code model:DIR}, a policy learned by
 * {@code ghost-gym train} (centralized agents, answering through the guard like any policy).
 */
final class AgentChoice {
  static final String MODEL = "model:";

  private AgentChoice() {}

  static boolean isModel(String policy) { return policy.startsWith(MODEL); }

  static AgentEngine create(String policy, Map<String, String> params, long seed) {
    if (!isModel(policy)) return Policies.create(policy, params, seed);
    for (String k : params.keySet()) {
      if (!k.equals("deadline")) throw new InputError("policy." + k + ": a model policy takes only policy.deadline");
    }
    long deadline = Durations.parseNanos(params.getOrDefault("deadline", "1ms"), "policy.deadline");
    LearnedPolicy p = LearnedPolicy.load(Path.of(policy.substring(MODEL.length())));
    return new CentralizedAgents(new PolicyGuard(p, deadline));
  }
}
