package dev.ghostgym.actors.enclave;

import dev.ghostgym.actors.agent.AgentEngine;
import dev.ghostgym.port.KernelFaults;
import dev.ghostgym.port.KernelPort;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One ghOSt enclave's agent process: spawns a {@link CpuAgent} for every CPU that has an agent (in
 * the centralized model the global agent and its satellites) and the {@link PolicyActor}, and
 * supervises them with restart, on its own dispatcher. An agent that crashes is restarted and
 * re-attaches as ghOSt's rebootless upgrade does: the kernel sees its agent die ({@link
 * KernelFaults#killAgent}), the new agent becomes the CPU's agent again on the same queue and has
 * the kernel re-announce every task; the engine, and with it all task state, survives. {@link
 * Destroy} hands every task back to CFS.
 *
 * <p>Restarts are bounded: an agent that keeps failing (a bug that throws on every activation)
 * would otherwise be restarted forever at the same kernel instant and hang the run. After more than
 * {@code ghost-gym.agent-restarts.max} restarts within {@code ghost-gym.agent-restarts.within} of
 * kernel time (10 within 1 s by default), the enclave is destroyed as ghOSt destroys one whose
 * agents are gone (every task goes back to CFS with TASK_DEPARTED; {@code ghost.c}
 * check_runnable_timeout and __ghost_destroy_enclave), and the failure is counted ({@link
 * Restarts#enclaveFailures}). Kernel time keeps the bound deterministic in simulation.
 */
public final class EnclaveSupervisor extends AbstractBehavior<EnclaveSupervisor.Command> {
  public sealed interface Command
      permits Attach, AgentCrashed, PolicyRestarted, Destroy, GetRestarts, Stop {}

  /**
   * The kernel created the enclave: attach the engine through {@code setup} and start the agents.
   */
  public record Attach(KernelPort setup, KernelFaults faults, ActorRef<Attached> replyTo)
      implements Command, LocalOnly {}

  /** The agents by CPU, and the policy actor. */
  public record Attached(
      Map<Integer, ActorRef<CpuAgent.Command>> agents, ActorRef<PolicyActor.Command> policy)
      implements CborSerializable {
    public Attached {
      agents = Map.copyOf(agents);
    }
  }

  /**
   * The agent of {@code cpu} failed and is being restarted; {@code pendingReply} awaits its
   * activation (or null).
   */
  public record AgentCrashed(int cpu, ActorRef<CpuAgent.Activated> pendingReply)
      implements Command, CborSerializable {}

  /** The policy actor failed and is being restarted. */
  public enum PolicyRestarted implements Command, CborSerializable {
    INSTANCE
  }

  /** Destroy the enclave: every task goes back to CFS, the agents stop. */
  public record Destroy(ActorRef<Destroyed> replyTo) implements Command, CborSerializable {}

  public record Destroyed(int agentsStopped) implements CborSerializable {}

  public record GetRestarts(ActorRef<Restarts> replyTo) implements Command, CborSerializable {}

  /**
   * How often agents and the policy actor were restarted after a failure, and how often the enclave
   * was destroyed because its agents kept failing (0 or 1).
   */
  public record Restarts(long agents, long policy, long enclaveFailures)
      implements CborSerializable {}

  /** The agent process exits (the end of a run). */
  public enum Stop implements Command, CborSerializable {
    INSTANCE
  }

  /**
   * @param engine the agents' shared scheduler object; its policy guard is hosted by the policy
   *     actor
   * @param seed seed of policies swapped in
   */
  public static Behavior<Command> create(AgentEngine engine, long seed) {
    return Behaviors.setup(ctx -> new EnclaveSupervisor(ctx, engine, seed));
  }

  private final AgentEngine engine;
  private final ActorRef<PolicyActor.Command> policy;
  private final Map<Integer, ActorRef<CpuAgent.Command>> agents = new TreeMap<>();
  private KernelPort setup;
  private KernelFaults faults;
  private long agentRestarts;
  private long policyRestarts;
  private long enclaveFailures;
  private final int maxRestarts;
  private final long restartWindowNs;
  private final ArrayDeque<Long> crashTimes = new ArrayDeque<>();

  private EnclaveSupervisor(ActorContext<Command> ctx, AgentEngine engine, long seed) {
    super(ctx);
    this.engine = engine;
    com.typesafe.config.Config limits =
        ctx.getSystem().settings().config().getConfig("ghost-gym.agent-restarts");
    this.maxRestarts = limits.getInt("max");
    this.restartWindowNs = limits.getDuration("within").toNanos();
    if (maxRestarts < 0 || restartWindowNs < 0)
      throw new IllegalArgumentException(
          "ghost-gym.agent-restarts: expected max >= 0 and within >= 0, got "
              + maxRestarts
              + " and "
              + restartWindowNs
              + " ns");
    this.policy =
        ctx.spawn(
            Behaviors.supervise(PolicyActor.create(engine.guard(), seed, ctx.getSelf().narrow()))
                .onFailure(SupervisorStrategy.restart()),
            "policy",
            DispatcherSelector.sameAsParent());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Attach.class, this::onAttach)
        .onMessage(AgentCrashed.class, this::onAgentCrashed)
        .onMessage(PolicyRestarted.class, r -> onPolicyRestarted())
        .onMessage(Destroy.class, this::onDestroy)
        .onMessage(GetRestarts.class, this::onGetRestarts)
        .onMessage(Stop.class, s -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> onAttach(Attach a) {
    if (setup != null) throw new IllegalStateException("enclave: attached twice");
    setup = a.setup();
    faults = a.faults();
    engine.attach(setup);
    int global = engine.globalCpu();
    if (global >= 0) {
      spawnAgent(global, CpuAgent.Role.GLOBAL);
      for (int cpu : setup.enclaveCpus())
        if (cpu != global) spawnAgent(cpu, CpuAgent.Role.SATELLITE);
    } else {
      for (int cpu : setup.enclaveCpus()) spawnAgent(cpu, CpuAgent.Role.AGENT);
    }
    a.replyTo().tell(new Attached(agents, policy));
    return this;
  }

  private void spawnAgent(int cpu, CpuAgent.Role role) {
    Behavior<CpuAgent.Command> agent =
        CpuAgent.create(cpu, role, engine, getContext().getSelf().narrow());
    agents.put(
        cpu,
        getContext()
            .spawn(
                Behaviors.supervise(agent).onFailure(SupervisorStrategy.restart()),
                "cpu-" + cpu,
                DispatcherSelector.sameAsParent()));
  }

  private Behavior<Command> onAgentCrashed(AgentCrashed c) {
    if (enclaveFailures > 0) {
      // The enclave is gone: a late failure of an agent being stopped changes nothing.
    } else if (faults != null && setup != null) {
      faults.killAgent(c.cpu());
      if (restartAllowed(setup.now())) {
        agentRestarts++;
        engine.reattach(c.cpu(), setup);
      } else {
        failEnclave();
      }
    } else {
      agentRestarts++;
    }
    if (c.pendingReply() != null) c.pendingReply().tell(new CpuAgent.Activated(c.cpu()));
    return this;
  }

  /** Records a crash at kernel time {@code now}; false once the crashes exceed the bound. */
  private boolean restartAllowed(long now) {
    while (!crashTimes.isEmpty() && crashTimes.peekFirst() < now - restartWindowNs)
      crashTimes.pollFirst();
    crashTimes.addLast(now);
    return crashTimes.size() <= maxRestarts;
  }

  /** The agents keep dying: the kernel destroys the enclave and every task runs on CFS. */
  private void failEnclave() {
    enclaveFailures++; // reported as enclave_failures (ActorAgents.enclaveFailures)
    faults.destroyEnclave();
    for (ActorRef<CpuAgent.Command> a : agents.values()) getContext().stop(a);
  }

  private Behavior<Command> onPolicyRestarted() {
    policyRestarts++;
    return this;
  }

  private Behavior<Command> onDestroy(Destroy d) {
    if (faults != null) faults.destroyEnclave();
    int n = agents.size();
    for (ActorRef<CpuAgent.Command> a : agents.values()) getContext().stop(a);
    agents.clear();
    d.replyTo().tell(new Destroyed(n));
    return this;
  }

  private Behavior<Command> onGetRestarts(GetRestarts g) {
    g.replyTo().tell(new Restarts(agentRestarts, policyRestarts, enclaveFailures));
    return this;
  }
}
