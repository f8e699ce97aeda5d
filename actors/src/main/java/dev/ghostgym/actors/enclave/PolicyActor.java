package dev.ghostgym.actors.enclave;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.ghostgym.actors.agent.Policies;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.actors.policy.PolicyGuard;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Hosts the policy of an enclave, which lives in its {@link PolicyGuard}: the agents consult the
 * guard directly (a plain call, checked and with the FIFO fallback), and this actor is how the rest
 * of the world reaches it: {@link Swap} replaces the policy while the enclave runs (the next
 * decision goes to the new one, no task is touched), {@link Decide} asks it a question from outside
 * (a learner, another JVM), {@link GetFallbacks} reads the fallback counts. A policy that throws on
 * a {@link Decide} fails this actor, which its enclave restarts; the guard, and so the policy,
 * stays.
 */
public final class PolicyActor extends AbstractBehavior<PolicyActor.Command> {
  public sealed interface Command permits Swap, Decide, GetFallbacks {}

  /**
   * Replace the policy by {@code policy} with {@code params} (as on the command line, without
   * "policy.").
   */
  public record Swap(String policy, Map<String, String> params, ActorRef<SwapResult> replyTo)
      implements Command, CborSerializable {}

  public sealed interface SwapResult extends CborSerializable permits Swapped, SwapRejected {}

  /** The policy is now {@code policy}. */
  public record Swapped(String policy) implements SwapResult {}

  /** The swap was refused (unknown policy or parameter, or a policy for the other agent model). */
  public record SwapRejected(String policy, String error) implements SwapResult {}

  /** Ask the hosted policy, as it is, to answer {@code request}. */
  public record Decide(DecisionSnapshot request, ActorRef<Decided> replyTo)
      implements Command, CborSerializable {}

  /** The answer to request {@code requestId}. */
  public record Decided(long requestId, Answer answer) implements CborSerializable {}

  /** What a policy answered: a value, or the failure it raised. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "outcome")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Chosen.class, name = "chosen"),
    @JsonSubTypes.Type(value = Failed.class, name = "failed")
  })
  public sealed interface Answer extends CborSerializable permits Chosen, Failed {}

  /** The policy's answer (its meaning depends on the request's kind). */
  public record Chosen(int value) implements Answer {}

  /** The policy threw; the policy actor was restarted. */
  public record Failed(String error) implements Answer {}

  public record GetFallbacks(ActorRef<Fallbacks> replyTo) implements Command, CborSerializable {}

  /**
   * Decisions answered by the FIFO fallback instead of the policy, by reason (exception, invalid,
   * timeout).
   */
  public record Fallbacks(Map<String, Long> byReason) implements CborSerializable {
    public Fallbacks {
      byReason = Map.copyOf(byReason);
    }

    public long total() {
      long n = 0;
      for (long v : byReason.values()) n += v;
      return n;
    }
  }

  /**
   * @param seed the seed of policies swapped in (random policies draw from it)
   * @param restarts told each time this actor is restarted after a failure
   */
  public static Behavior<Command> create(
      PolicyGuard guard, long seed, ActorRef<EnclaveSupervisor.PolicyRestarted> restarts) {
    return Behaviors.setup(ctx -> new PolicyActor(ctx, guard, seed, restarts));
  }

  private final PolicyGuard guard;
  private final long seed;
  private final ActorRef<EnclaveSupervisor.PolicyRestarted> restarts;

  private PolicyActor(
      ActorContext<Command> ctx,
      PolicyGuard guard,
      long seed,
      ActorRef<EnclaveSupervisor.PolicyRestarted> restarts) {
    super(ctx);
    this.guard = guard;
    this.seed = seed;
    this.restarts = restarts;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Swap.class, this::onSwap)
        .onMessage(Decide.class, this::onDecide)
        .onMessage(GetFallbacks.class, this::onGetFallbacks)
        .onSignal(PreRestart.class, this::onPreRestart)
        .build();
  }

  private Behavior<Command> onSwap(Swap s) {
    try {
      guard.swap(Policies.policy(s.policy(), s.params(), seed));
      s.replyTo().tell(new Swapped(s.policy()));
    } catch (IllegalArgumentException e) {
      s.replyTo().tell(new SwapRejected(s.policy(), e.getMessage()));
    }
    return this;
  }

  private Behavior<Command> onDecide(Decide d) {
    Policy p = guard.policy();
    int answer;
    try {
      answer = p.decide(d.request().toRequest());
    } catch (RuntimeException e) {
      d.replyTo()
          .tell(new Decided(d.request().id(), new Failed("policy " + p.name() + " threw " + e)));
      throw e; // supervision restarts this actor
    }
    d.replyTo().tell(new Decided(d.request().id(), new Chosen(answer)));
    return this;
  }

  private Behavior<Command> onGetFallbacks(GetFallbacks g) {
    g.replyTo().tell(new Fallbacks(guard.fallbacks()));
    return this;
  }

  private Behavior<Command> onPreRestart(PreRestart s) {
    restarts.tell(EnclaveSupervisor.PolicyRestarted.INSTANCE);
    return this;
  }
}
