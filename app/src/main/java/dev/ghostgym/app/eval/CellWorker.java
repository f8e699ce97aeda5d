package dev.ghostgym.app.eval;

import dev.ghostgym.actors.enclave.CborSerializable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The worker's side of {@code eval --cluster}: one actor per worker node, registered with the
 * cluster's Receptionist under {@link #KEY}, that runs evaluation cells for a {@link ClusterMatrix}
 * coordinator. Work is pulled: on {@link Offer} it answers {@link ClusterMatrix.Ready} with how
 * many cells it runs at once ({@code slots}), and the coordinator never gives it more than that in
 * flight. Each cell runs on a pool of {@code slots} threads of its own (a simulation is
 * single-threaded and deterministic, so where it runs does not change its numbers); the answer is
 * one {@link ClusterMatrix.CellDone} with the run's {@link RunOutcome}, or {@link
 * ClusterMatrix.CellFailed} with the error.
 */
public final class CellWorker {
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "ghost-gym-eval");

  public sealed interface Command {}

  /** A coordinator introduces itself; the worker answers with its slots. Crosses nodes. */
  public record Offer(ActorRef<ClusterMatrix.Msg> coordinator)
      implements Command, CborSerializable {}

  /** Run cell {@code index} of the coordinator's matrix with {@code tasks} arrivals. */
  public record RunCell(int index, Cell cell, long tasks, ActorRef<ClusterMatrix.Msg> replyTo)
      implements Command, CborSerializable {}

  private CellWorker() {}

  /**
   * Starts the worker actor on {@code system} (a cluster node), running cells with {@link
   * Runs#run}.
   */
  public static ActorRef<Command> start(ActorSystem<?> system, int slots) {
    return start(system, slots, Runs::run);
  }

  /** As {@link #start(ActorSystem, int)} with another way to run a cell (tests). */
  public static ActorRef<Command> start(
      ActorSystem<?> system, int slots, BiFunction<Cell, Long, RunOutcome> runner) {
    if (slots < 1) throw new IllegalArgumentException("slots: expected >= 1, got " + slots);
    return system.systemActorOf(create(slots, runner), "eval-cell-worker", Props.empty());
  }

  static Behavior<Command> create(int slots, BiFunction<Cell, Long, RunOutcome> runner) {
    return Behaviors.setup(
        ctx -> {
          ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
          ExecutorService pool =
              Executors.newFixedThreadPool(
                  slots,
                  r -> {
                    Thread t = new Thread(r, "eval-cell");
                    t.setDaemon(true);
                    return t;
                  });
          String node = ctx.getSystem().address().toString();
          ActorRef<Command> self = ctx.getSelf();
          return Behaviors.receive(Command.class)
              .onMessage(
                  Offer.class,
                  o -> {
                    o.coordinator().tell(new ClusterMatrix.Ready(self, slots, node));
                    return Behaviors.same();
                  })
              .onMessage(
                  RunCell.class,
                  r -> {
                    pool.execute(() -> r.replyTo().tell(run(r, runner, self, node)));
                    return Behaviors.same();
                  })
              .onSignal(
                  PostStop.class,
                  s -> {
                    pool.shutdownNow();
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /** Runs one cell; a failing run is answered with its error, not dropped. */
  private static ClusterMatrix.Msg run(
      RunCell r, BiFunction<Cell, Long, RunOutcome> runner, ActorRef<Command> self, String node) {
    try {
      return new ClusterMatrix.CellDone(r.index(), runner.apply(r.cell(), r.tasks()), self, node);
    } catch (RuntimeException | Error e) {
      return new ClusterMatrix.CellFailed(r.index(), e.toString(), self, node);
    }
  }
}
