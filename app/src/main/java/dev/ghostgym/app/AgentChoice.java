package dev.ghostgym.app;

import dev.ghostgym.actors.agent.CentralizedAgents;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.config.Durations;
import dev.ghostgym.learn.Checkpoint;
import dev.ghostgym.learn.LearnError;
import dev.ghostgym.learn.LearnedPolicy;
import dev.ghostgym.port.AgentHost;
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

  static AgentHost create(String policy, Map<String, String> params, long seed) {
    return create(policy, params, seed, 0, null);
  }

  /**
   * The agents for {@code policy}; a model must have been trained for {@code cpus} CPUs (its
   * observation and answers assume them), checked when {@code cpus > 0}.
   */
  static AgentHost create(String policy, Map<String, String> params, long seed, int cpus, String workload) {
    if (!isModel(policy)) return Policies.create(policy, params, seed);
    for (String k : params.keySet()) {
      if (!k.equals("deadline")) throw new InputError("policy." + k + ": a model policy takes only policy.deadline");
    }
    long deadline = Inputs.parse("policy.deadline", () -> Durations.parseNanos(params.getOrDefault("deadline", "1ms"), "policy.deadline"));
    Path dir = Path.of(policy.substring(MODEL.length()));
    try {
      Checkpoint.read(dir); // a path that holds no model is the user's input; a broken engine is not
    } catch (LearnError e) {
      throw new InputError("--policy " + policy + ": " + e.getMessage());
    }
    LearnedPolicy p = LearnedPolicy.load(dir);
    Object trained = p.checkpoint().options().get("cpus");
    if (cpus > 0 && trained != null && !String.valueOf(trained).equals(String.valueOf(cpus))) {
      p.close();
      throw new InputError("--cpus " + cpus + ": the model in " + dir + " was trained for " + trained
          + " CPUs (its observations and answers assume them); run it with --cpus " + trained);
    }
    return new CentralizedAgents(new PolicyGuard(p, deadline));
  }
}
