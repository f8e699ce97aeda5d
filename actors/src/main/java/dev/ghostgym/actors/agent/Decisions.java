package dev.ghostgym.actors.agent;

import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.actors.policy.CpuView;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import dev.ghostgym.actors.policy.TaskView;
import dev.ghostgym.port.KernelPort;
import java.util.AbstractList;
import java.util.List;

/**
 * How agents ask their policy: builds requests (with a CPU snapshot computed only for the CPUs a
 * policy actually looks at), charges the policy's decision time to the agent, and goes through the
 * guard so that a failing policy gets the FIFO answer.
 */
final class Decisions {
  /** What the agents know about one CPU, for snapshots. */
  interface CpuState {
    TaskView current(int cpu);

    long runningSince(int cpu);

    int queueLength(int cpu);
  }

  private final PolicyGuard guard;
  private int[] enclave;
  private final CpuState state;
  private KernelPort port;

  Decisions(PolicyGuard guard, int[] enclave, CpuState state) {
    this.guard = guard;
    this.enclave = enclave;
    this.state = state;
  }

  PolicyGuard guard() {
    return guard;
  }

  /** The CPUs requests show from now on (the centralized global CPU moves). */
  void cpus(int[] served) {
    this.enclave = served;
  }

  int ask(
      KernelPort port,
      DecisionRequest.Kind kind,
      DecisionRequest.Trigger trigger,
      int cpu,
      TaskView task,
      List<? extends TaskView> rq) {
    this.port = port;
    int answer =
        guard.decide(
            new DecisionRequest(guard.nextId(), kind, trigger, cpu, task, rq, cpus, port.now()));
    if (answer == Policy.DEFER) return answer; // asked again when resumed: charge the answer once
    long cost = guard.costNs();
    if (cost > 0) port.spend(cost);
    return answer;
  }

  private final List<CpuView> cpus =
      new AbstractList<>() {
        @Override
        public CpuView get(int i) {
          int id = enclave[i];
          boolean avail = (port.agentFlags(id) & StatusFlags.CPU_AVAIL) != 0;
          return new CpuView(
              id, state.current(id), state.runningSince(id), state.queueLength(id), avail);
        }

        @Override
        public int size() {
          return enclave.length;
        }
      };
}
