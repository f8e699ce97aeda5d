package dev.ghostgym.sim;

import java.util.List;

/**
 * Agent and scheduling costs charged in simulated time, in ns. The paper's values (ghOSt SOSP'21,
 * Table 3; ghost-model.md section 3.1): a message to a local agent costs 725 ns, of which 410 ns is
 * the context switch into the agent; a message to the spinning global agent 265 ns; a local
 * schedule 888 ns; a remote schedule 668 ns agent-side, and a group of 10 remote txns 3,964 ns, so
 * each txn after the first adds about 366 ns; a CFS context switch 599 ns.
 *
 * @param agentSwitchIn      context switch into a blocked agent that is woken
 * @param localMessage       per message drained by a woken per-CPU agent (725 - 410)
 * @param globalMessage      per message drained by a spinning agent
 * @param localSchedule      local commit plus the switch to the committed task
 * @param remoteSchedule     first remote txn of a commit call
 * @param remoteGroupExtra   each further remote txn of the same call
 * @param contextSwitch      CFS switch to a CFS task (the CPU runs nothing meanwhile)
 * @param agentOccupiesCpu   false: a spinning global agent sits on an extra CPU that runs no task
 */
public record Overheads(String name, long agentSwitchIn, long localMessage, long globalMessage,
                        long localSchedule, long remoteSchedule, long remoteGroupExtra,
                        long contextSwitch, boolean agentOccupiesCpu) {

  public static final Overheads PAPER = new Overheads("paper", 410, 315, 265, 888, 668, 366, 599, true);
  public static final Overheads NONE = new Overheads("none", 0, 0, 0, 0, 0, 0, 0, false);

  public static List<String> names() { return List.of("paper", "none"); }

  /** Parses {@code paper} or {@code none}; the error names the field and the allowed values. */
  public static Overheads parse(String name) {
    return switch (name) {
      case "paper" -> PAPER;
      case "none" -> NONE;
      default -> throw new IllegalArgumentException(
          "overheads: expected one of " + names() + ", got '" + name + "'");
    };
  }

  /** Cost of the remote part of one commit call that targets {@code k} remote CPUs. */
  long remote(int k) {
    return k == 0 ? 0 : remoteSchedule + (k - 1) * remoteGroupExtra;
  }
}
