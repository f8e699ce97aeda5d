package dev.ghostgym.cluster;

import dev.ghostgym.actors.enclave.CborSerializable;
import dev.ghostgym.actors.enclave.LocalOnly;
import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Step;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One environment as a Cluster Sharding entity (entity id = the env's index): sharding decides on
 * which worker node it lives and re-creates it elsewhere when that node leaves. A reset arrives
 * through sharding (it is also what places the entity); steps arrive from the node's {@link
 * EnvGateway}, in batches, as local messages. The entity owns its env (made with {@link Gym#make}
 * from the id and options in the first reset) and applies next-step autoreset exactly as {@code
 * SyncVectorEnv}: the step after an episode ended resets with no seed.
 */
public final class EnvEntity {
  public static final EntityTypeKey<Command> KEY =
      EntityTypeKey.create(Command.class, "ghost-gym-env");

  public sealed interface Command {}

  /** Make the env if needed (or if its id/options changed) and reset it; crosses nodes. */
  public record Reset(
      int envId,
      String gymId,
      Map<String, Object> makeOptions,
      Long seed,
      Map<String, Object> resetOptions,
      ActorRef<ResetDone> replyTo)
      implements Command, CborSerializable {}

  /** The reset's result and the gateway of the node that now hosts the env. */
  public record ResetDone(EnvResult result, ActorRef<EnvGateway.Command> gateway, String node)
      implements CborSerializable {}

  /** One step from the node's gateway; never leaves the node. */
  public record LocalStep(int action, ActorRef<EnvResult> replyTo) implements Command, LocalOnly {}

  private EnvEntity() {}

  public static Behavior<Command> create(int envId, ActorRef<EnvGateway.Command> gateway) {
    return Behaviors.setup(
        ctx -> {
          gateway.tell(new EnvGateway.Register(envId, ctx.getSelf()));
          State state = new State(envId);
          String node = ctx.getSystem().address().toString();
          return Behaviors.receive(Command.class)
              .onMessage(
                  Reset.class,
                  r -> {
                    r.replyTo().tell(new ResetDone(state.reset(r), gateway, node));
                    return Behaviors.same();
                  })
              .onMessage(
                  LocalStep.class,
                  s -> {
                    s.replyTo().tell(state.step(s.action()));
                    return Behaviors.same();
                  })
              .onSignal(
                  PostStop.class,
                  sig -> {
                    gateway.tell(new EnvGateway.Unregister(envId, ctx.getSelf()));
                    state.close();
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /** The env and its autoreset flag; touched only by the entity's actor. */
  private static final class State {
    private final int envId;
    private Env<Object, Integer> env;
    private String gymId;
    private Map<String, Object> makeOptions;
    private boolean autoreset;

    State(int envId) {
      this.envId = envId;
    }

    @SuppressWarnings("unchecked")
    EnvResult reset(Reset r) {
      try {
        if (env == null || !r.gymId().equals(gymId) || !r.makeOptions().equals(makeOptions)) {
          close();
          env = (Env<Object, Integer>) (Env<?, ?>) Gym.make(r.gymId(), r.makeOptions());
          gymId = r.gymId();
          makeOptions = r.makeOptions();
        }
        dev.ghostgym.gym.Reset<Object> out = env.reset(r.seed(), r.resetOptions());
        autoreset = false;
        return Wire.result(
            envId, env.observationSpace(), out.observation(), 0, false, false, out.info());
      } catch (RuntimeException e) {
        return failed(e);
      }
    }

    EnvResult step(int action) {
      if (env == null) {
        return EnvResult.missing(envId);
      }
      try {
        EnvResult out;
        if (autoreset) {
          dev.ghostgym.gym.Reset<Object> r = env.reset(null, Map.of());
          out =
              Wire.result(
                  envId, env.observationSpace(), r.observation(), 0, false, false, r.info());
        } else {
          Step<Object> s = env.step(action);
          out =
              Wire.result(
                  envId,
                  env.observationSpace(),
                  s.observation(),
                  s.reward(),
                  s.terminated(),
                  s.truncated(),
                  s.info());
        }
        autoreset = out.terminated() || out.truncated();
        return out;
      } catch (RuntimeException e) {
        return failed(e);
      }
    }

    /**
     * A failing env ends its episode (truncated, the error in the info) instead of killing the
     * batch.
     */
    private EnvResult failed(RuntimeException e) {
      autoreset = true;
      return new EnvResult(
          envId,
          true,
          null,
          0,
          false,
          true,
          null,
          Map.of(),
          Map.of(ClusterVectorEnv.TRUNCATED_REASON, "env " + envId + " failed: " + e));
    }

    void close() {
      if (env != null) {
        env.close();
        env = null;
      }
    }
  }
}
