package dev.ghostgym.cluster;

import dev.ghostgym.actors.enclave.CborSerializable;
import dev.ghostgym.actors.enclave.LocalOnly;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One per worker node: takes a whole step batch for the envs this node hosts in one message ({@link
 * StepBatch}), hands each env its action locally and answers with one {@link BatchDone}, so a batch
 * costs one message per node each way, not one per env. Entities register when they start and
 * unregister when they stop; an env it does not host (moved or stopped) is answered {@link
 * EnvResult#missing}.
 */
public final class EnvGateway {
  public sealed interface Command {}

  /** Step {@code envIds[k]} with {@code actions[k]}; crosses nodes. */
  public record StepBatch(int[] envIds, int[] actions, ActorRef<BatchDone> replyTo)
      implements Command, CborSerializable {
    @Override
    public boolean equals(Object o) {
      return o instanceof StepBatch s
          && Arrays.equals(envIds, s.envIds)
          && Arrays.equals(actions, s.actions)
          && replyTo.equals(s.replyTo);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(envIds);
    }
  }

  /** The batch's results, in the order of its env ids, as columns of primitive arrays. */
  public record BatchDone(StepResults results) implements CborSerializable {}

  record Register(int envId, ActorRef<EnvEntity.Command> entity) implements Command, LocalOnly {}

  record Unregister(int envId, ActorRef<EnvEntity.Command> entity) implements Command, LocalOnly {}

  private EnvGateway() {}

  public static Behavior<Command> create() {
    return Behaviors.setup(
        ctx -> {
          Map<Integer, ActorRef<EnvEntity.Command>> hosted = new HashMap<>();
          return Behaviors.receive(Command.class)
              .onMessage(
                  Register.class,
                  r -> {
                    hosted.put(r.envId(), r.entity());
                    return Behaviors.same();
                  })
              .onMessage(
                  Unregister.class,
                  u -> {
                    hosted.remove(u.envId(), u.entity());
                    return Behaviors.same();
                  })
              .onMessage(
                  StepBatch.class,
                  b -> {
                    if (b.envIds().length == 0) {
                      b.replyTo().tell(new BatchDone(StepResults.of(List.of())));
                      return Behaviors.same();
                    }
                    ActorRef<EnvResult> collector =
                        ctx.spawnAnonymous(collect(b.envIds(), b.replyTo()));
                    for (int k = 0; k < b.envIds().length; k++) {
                      ActorRef<EnvEntity.Command> e = hosted.get(b.envIds()[k]);
                      if (e == null) {
                        collector.tell(EnvResult.missing(b.envIds()[k]));
                      } else {
                        e.tell(new EnvEntity.LocalStep(b.actions()[k], collector));
                      }
                    }
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /** Gathers one batch's results, puts them in the batch's order, answers once and stops. */
  private static Behavior<EnvResult> collect(int[] envIds, ActorRef<BatchDone> replyTo) {
    Map<Integer, Integer> position = new HashMap<>();
    for (int k = 0; k < envIds.length; k++) {
      position.put(envIds[k], k);
    }
    EnvResult[] results = new EnvResult[envIds.length];
    int[] got = {0};
    return Behaviors.receive(EnvResult.class)
        .onMessage(
            EnvResult.class,
            r -> {
              Integer k = position.get(r.envId());
              if (k != null && results[k] == null) {
                results[k] = r;
                got[0]++;
              }
              if (got[0] < results.length) {
                return Behaviors.same();
              }
              replyTo.tell(new BatchDone(StepResults.of(Arrays.asList(results))));
              return Behaviors.stopped();
            })
        .build();
  }
}
