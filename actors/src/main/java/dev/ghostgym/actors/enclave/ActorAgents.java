package dev.ghostgym.actors.enclave;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.ghostgym.actors.agent.AgentEngine;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.port.AgentHost;
import dev.ghostgym.port.KernelFaults;
import dev.ghostgym.port.KernelPort;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The sim adapter: agents that run as Pekko actors, for a simulated machine (the simulator's {@code
 * Machine}, seen only through the port's {@link AgentHost} and {@link KernelFaults}). It spawns an
 * {@link EnclaveSupervisor} (its {@link CpuAgent}s and {@link PolicyActor}) on a caller-runs
 * dispatcher of its own, and the simulation thread runs the actors' work itself while it waits for
 * their replies: the machine activates the agents of an instant one at a time in CPU order, and
 * each {@link #activate} tells the agent's actor and runs queued tasks until its {@code Activated}
 * reply arrived. So a run through actors makes the same kernel calls in the same order as a run
 * through plain calls, and gives the same trace; a hop costs a few hundred ns and no thread
 * hand-off.
 *
 * <p>Creating an actor system takes tens of ms, so by default runs share one ({@link
 * #sharedSystem()}, daemon threads) and each run spawns a fresh enclave on a dispatcher it leases
 * from {@link SimDispatchers}; {@link #close()} stops that enclave and gives the dispatcher back.
 * Bind the machine ({@link #bind(KernelFaults)}) before it runs so that agent crashes and {@link
 * #destroy()} reach its kernel.
 */
public final class ActorAgents implements AgentHost, AutoCloseable {
  private static final long REPLY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
  private static final AtomicLong RUNS = new AtomicLong();
  private static ActorSystem<Void> shared;

  /** Tells the inbox to stop. */
  private enum Closing implements LocalOnly {
    INSTANCE
  }

  private final AgentEngine engine;
  private final SimDispatchers dispatchers;
  private final SimDispatchers.Lease lease;
  private final CallerRunsExecutor executor;
  private final ActorRef<Object> inbox;
  private final ActorRef<EnclaveSupervisor.Command> enclave;
  private ActorRef<CpuAgent.Command>[] agents;
  private CpuAgent.Activate[] activations;
  private ActorRef<PolicyActor.Command> policy;
  private KernelFaults faults;
  private boolean closed;
  // Written by the inbox actor, which runs on this executor, i.e. on the thread that waits.
  private int activated = -1;
  private int expected;
  private Object reply;
  private final BooleanSupplier activationDone = () -> activated == expected;
  private final BooleanSupplier replied = () -> reply != null;

  /** Agents running policy {@code policy} ({@link Policies#create}) on the shared actor system. */
  public static ActorAgents create(String policy, Map<String, String> params, long seed) {
    return new ActorAgents(Policies.create(policy, params, seed), seed, sharedSystem());
  }

  /**
   * @param engine the agents' shared scheduler object, made by {@link Policies#create}
   * @param seed seed of policies swapped in
   * @param system the actor system to spawn the enclave in
   */
  public ActorAgents(AgentEngine engine, long seed, ActorSystem<?> system) {
    this.engine = engine;
    this.dispatchers = SimDispatchers.get(system);
    this.lease = dispatchers.acquire();
    this.executor = lease.executor();
    long run = RUNS.incrementAndGet();
    Props props = DispatcherSelector.fromConfig(lease.dispatcherId());
    this.inbox = system.systemActorOf(inbox(), "agents-inbox-" + run, props);
    this.enclave =
        system.systemActorOf(EnclaveSupervisor.create(engine, seed), "enclave-" + run, props);
    executor.runQueued();
  }

  /**
   * The actor system runs share: made on first use, with daemon threads; lives as long as the JVM.
   */
  public static synchronized ActorSystem<Void> sharedSystem() {
    if (shared == null || shared.getWhenTerminated().toCompletableFuture().isDone()) {
      Config base = ConfigFactory.load();
      shared =
          ActorSystem.create(
              Behaviors.empty(),
              "ghost-gym",
              base.getConfig("ghost-gym.shared-system").withFallback(base));
    }
    return shared;
  }

  /**
   * Makes agent crashes and {@link #destroy()} reach {@code kernel} (in sim mode the machine, which
   * implements {@link KernelFaults}); returns it, so that {@code agents.bind(new
   * Machine(...)).run()} reads in one line. Call before the enclave is attached, i.e. before the
   * machine runs.
   */
  public <K extends KernelFaults> K bind(K kernel) {
    if (agents != null)
      throw new IllegalStateException(
          "bind: the enclave is already attached; bind before the machine runs");
    this.faults = kernel;
    return kernel;
  }

  /** The engine the agents share (for reports and tests). */
  public AgentEngine engine() {
    return engine;
  }

  // --- AgentHost --------------------------------------------------------------------------------

  @Override
  public void attach(KernelPort setup) {
    open("attach");
    enclave.tell(new EnclaveSupervisor.Attach(setup, faults, inbox.narrow()));
    EnclaveSupervisor.Attached a = await(EnclaveSupervisor.Attached.class);
    @SuppressWarnings("unchecked")
    ActorRef<CpuAgent.Command>[] refs = new ActorRef[setup.cpus()];
    a.agents().forEach((cpu, ref) -> refs[cpu] = ref);
    agents = refs;
    activations = new CpuAgent.Activate[refs.length];
    policy = a.policy();
  }

  /**
   * Runs one iteration of the agent of {@code cpu}: tells its actor and runs the actors' work until
   * it replied. The machine activates the agents of one instant one at a time in CPU order.
   */
  @Override
  public void activate(int cpu, KernelPort port) {
    if (activations == null)
      throw new IllegalStateException("activate: the enclave is not attached");
    CpuAgent.Activate a = activations[cpu];
    if (a == null || a.port() != port) {
      if (agents[cpu] == null)
        throw new IllegalStateException("activate: CPU " + cpu + " has no agent actor");
      a = activations[cpu] = new CpuAgent.Activate(port, inbox.narrow());
    }
    expected = cpu;
    activated = -1;
    agents[cpu].tell(a);
    executor.runUntil(activationDone, REPLY_TIMEOUT_NS);
  }

  // --- faults, policy, counts ------------------------------------------------------------------

  /** Crashes the agent of {@code cpu}; it is restarted and re-attaches before this returns. */
  public void crashAgent(int cpu) {
    attached("crashAgent");
    if (cpu < 0 || cpu >= agents.length || agents[cpu] == null) {
      throw new IllegalArgumentException("crashAgent: CPU " + cpu + " has no agent");
    }
    agents[cpu].tell(CpuAgent.Crash.INSTANCE);
    executor.runQueued();
  }

  /** Destroys the enclave: every task goes back to CFS. */
  public void destroy() {
    attached("destroy");
    if (faults == null)
      throw new IllegalStateException(
          "destroy: no kernel to destroy the enclave in; bind(machine) first");
    enclave.tell(new EnclaveSupervisor.Destroy(inbox.narrow()));
    await(EnclaveSupervisor.Destroyed.class);
  }

  /** Replaces the policy while the enclave runs. */
  public void swapPolicy(String name) {
    swapPolicy(name, Map.of());
  }

  /** Replaces the policy by {@code name} with {@code params} (keys without "policy."). */
  public void swapPolicy(String name, Map<String, String> params) {
    attached("swapPolicy");
    policy.tell(new PolicyActor.Swap(name, params, inbox.narrow()));
    if (await(PolicyActor.SwapResult.class) instanceof PolicyActor.SwapRejected r) {
      throw new IllegalArgumentException(r.error());
    }
  }

  /** Decisions answered by the FIFO fallback, by reason. */
  public Map<String, Long> fallbacks() {
    attached("fallbacks");
    policy.tell(new PolicyActor.GetFallbacks(inbox.narrow()));
    return await(PolicyActor.Fallbacks.class).byReason();
  }

  /** How often an agent was restarted after a crash. */
  public long agentRestarts() {
    return restarts().agents();
  }

  /** 1 when the enclave was destroyed because its agents kept failing (tasks fell back to CFS). */
  public long enclaveFailures() {
    return restarts().enclaveFailures();
  }

  /** How often the policy actor was restarted after a failure. */
  public long policyRestarts() {
    return restarts().policy();
  }

  private EnclaveSupervisor.Restarts restarts() {
    open("restarts");
    enclave.tell(new EnclaveSupervisor.GetRestarts(inbox.narrow()));
    return await(EnclaveSupervisor.Restarts.class);
  }

  /** Stops the enclave and gives its dispatcher back; the shared actor system stays. Idempotent. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    enclave.tell(EnclaveSupervisor.Stop.INSTANCE);
    inbox.tell(Closing.INSTANCE);
    executor.runQueued();
    dispatchers.release(lease);
  }

  // --- the inbox --------------------------------------------------------------------------------

  private Behavior<Object> inbox() {
    return Behaviors.receive(Object.class)
        .onMessage(
            CpuAgent.Activated.class,
            a -> {
              activated = a.cpu();
              return Behaviors.same();
            })
        .onMessageEquals(Closing.INSTANCE, Behaviors::stopped)
        .onAnyMessage(
            m -> {
              reply = m;
              return Behaviors.same();
            })
        .build();
  }

  private <T> T await(Class<T> type) {
    executor.runUntil(replied, REPLY_TIMEOUT_NS);
    Object r = reply;
    reply = null;
    if (!type.isInstance(r)) {
      throw new IllegalStateException("expected a " + type.getSimpleName() + " reply, got " + r);
    }
    return type.cast(r);
  }

  private void open(String call) {
    if (closed) throw new IllegalStateException(call + ": the agents are closed");
  }

  private void attached(String call) {
    open(call);
    if (agents == null)
      throw new IllegalStateException(
          call + ": the enclave is not attached yet (the machine attaches it when it runs)");
  }
}
