package dev.ghostgym.app;

import dev.ghostgym.actors.agent.Policies;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code ghost-gym policies}: the scheduling policies and what they do. */
@Command(
    name = "policies",
    mixinStandardHelpOptions = true,
    description =
        "List the scheduling policies. Every policy takes policy.deadline (decision deadline, default 1ms) and policy.decision_cost (simulated time charged per decision; none opts out; default 50ns for heuristics with paper overheads).")
final class PoliciesCommand implements Runnable {
  @Override
  public void run() {
    for (Map.Entry<String, String> e : Policies.descriptions().entrySet()) {
      System.out.printf("%-18s %s%n", e.getKey(), e.getValue());
    }
  }
}
