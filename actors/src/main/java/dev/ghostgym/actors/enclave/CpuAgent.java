package dev.ghostgym.actors.enclave;

import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelPort;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The agent thread of one enclave CPU. Each {@link Activate} is one pass of ghOSt's agent loop for
 * this CPU (read the agent barrier, drain the queue, dispatch each kernel message to the engine's
 * handler named after it, decide, commit or yield), run by the engine that all agents of the
 * enclave share, exactly as ghOSt's per-CPU agent threads share one scheduler object. In the
 * centralized model the engine itself tells the roles apart: the agent of the global CPU schedules,
 * the others ({@link Role#SATELLITE}s) only yield their CPU so that it can run ghOSt tasks. The
 * role an agent was spawned with is where the global role starts; it moves to another CPU when a
 * CFS task wants the global CPU (ghost-userspace's {@code PickNextGlobalCPU}), so every agent of a
 * centralized enclave runs the engine.
 *
 * <p>When the agent fails (an exception from the engine, or the {@link Crash} test hook) it tells
 * its enclave before it is restarted, handing over the reply of the activation it was running; the
 * enclave mirrors the crash in the kernel and re-attaches the agent.
 */
public final class CpuAgent extends AbstractBehavior<CpuAgent.Command> {
  /** What the agent of a CPU does. */
  public enum Role {
    /** A per-CPU agent: schedules its own CPU. */
    AGENT,
    /** The centralized model's global agent: schedules every CPU from its own. */
    GLOBAL,
    /** A CPU of the centralized model whose agent only yields. */
    SATELLITE
  }

  public sealed interface Command permits Activate, Crash {}

  /** Run one iteration of the agent loop, making kernel calls through {@code port}. */
  public record Activate(KernelPort port, ActorRef<Activated> replyTo)
      implements Command, LocalOnly {}

  /** Test hook: the agent crashes (as a SIGKILLed agent thread would) and is restarted. */
  public enum Crash implements Command, CborSerializable {
    INSTANCE
  }

  /** The iteration of the agent loop on {@code cpu} is done (or the agent crashed during it). */
  public record Activated(int cpu) implements CborSerializable {}

  /** The failure the {@link Crash} hook raises. */
  public static final class AgentCrash extends RuntimeException {
    public AgentCrash(int cpu) {
      super("agent of CPU " + cpu + " crashed (test hook)");
    }
  }

  public static Behavior<Command> create(
      int cpu, Role role, AgentHost engine, ActorRef<EnclaveSupervisor.AgentCrashed> enclave) {
    return Behaviors.setup(ctx -> new CpuAgent(ctx, cpu, role, engine, enclave));
  }

  private final int cpu;
  private final Role role;
  private final AgentHost engine;
  private final ActorRef<EnclaveSupervisor.AgentCrashed> enclave;
  private final Activated activated;
  private Activate running;

  private CpuAgent(
      ActorContext<Command> ctx,
      int cpu,
      Role role,
      AgentHost engine,
      ActorRef<EnclaveSupervisor.AgentCrashed> enclave) {
    super(ctx);
    this.cpu = cpu;
    this.role = role;
    this.engine = engine;
    this.enclave = enclave;
    this.activated = new Activated(cpu);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Activate.class, this::onActivate)
        .onMessage(Crash.class, this::onCrash)
        .onSignal(PreRestart.class, this::onPreRestart)
        .build();
  }

  private Behavior<Command> onActivate(Activate a) {
    running = a;
    engine.activate(cpu, a.port());
    running = null;
    a.replyTo().tell(activated);
    return this;
  }

  private Behavior<Command> onCrash(Crash c) {
    throw new AgentCrash(cpu);
  }

  private Behavior<Command> onPreRestart(PreRestart s) {
    enclave.tell(
        new EnclaveSupervisor.AgentCrashed(cpu, running == null ? null : running.replyTo()));
    return this;
  }
}
