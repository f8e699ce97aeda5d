package dev.ghostgym.app.eval;

import dev.ghostgym.actors.enclave.CborSerializable;
import dev.ghostgym.actors.enclave.LocalOnly;
import dev.ghostgym.app.io.Progress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * {@code eval --cluster}: spreads the cells of an evaluation matrix over the {@link CellWorker}s of
 * a Pekko cluster by work pulling. The coordinator (an actor on the node that runs {@code eval})
 * finds workers through the cluster Receptionist, watches each (Pekko death watch: a worker that
 * leaves, or crashes and is downed by the split-brain resolver, is reported Terminated) and keeps
 * at most a worker's slots of cells in flight on it, so faster workers take more cells. The cells
 * in flight on a worker that is gone go back to the front of the queue and run elsewhere. Each cell
 * is a deterministic simulation, so the outcomes equal a local {@link Matrix#run} for the same
 * seeds, whatever ran where; they come back in the order of the cells.
 */
public final class ClusterMatrix {
  private static final AtomicLong RUNS = new AtomicLong();

  public sealed interface Msg {}

  /** A worker's answer to {@link CellWorker.Offer}: it runs {@code slots} cells at once. */
  public record Ready(ActorRef<CellWorker.Command> worker, int slots, String node)
      implements Msg, CborSerializable {}

  /** Cell {@code index} ran on {@code node}. */
  public record CellDone(
      int index, RunOutcome outcome, ActorRef<CellWorker.Command> worker, String node)
      implements Msg, CborSerializable {}

  /** Cell {@code index} threw on {@code node}: the evaluation fails, as it would locally. */
  public record CellFailed(
      int index, String error, ActorRef<CellWorker.Command> worker, String node)
      implements Msg, CborSerializable {}

  private record Workers(Receptionist.Listing listing) implements Msg, LocalOnly {}

  private enum Tick implements Msg, LocalOnly {
    INSTANCE
  }

  /**
   * What a cluster evaluation gave.
   *
   * @param outcomes the finished runs, in the order of the cells
   * @param runsPerNode how many runs each node finished
   * @param reruns cells started again because their worker was gone
   * @param workersLost the nodes of workers that went away mid-matrix
   * @param stoppedBecause null when every cell ran; otherwise why the evaluation stopped early
   * @param interrupted whether it stopped on Ctrl-C
   */
  public record Result(
      List<RunOutcome> outcomes,
      Map<String, Integer> runsPerNode,
      int reruns,
      List<String> workersLost,
      String stoppedBecause,
      boolean interrupted) {}

  /** How the coordinator waits for workers. */
  public record Waits(int minWorkers, Duration workerWait) {
    public Waits {
      if (minWorkers < 1) throw new IllegalArgumentException("workers: expected >= 1");
    }
  }

  private ClusterMatrix() {}

  /**
   * Runs {@code cells} on the cluster {@code system} belongs to and waits for the outcome. Starts
   * once {@code waits.minWorkers} workers are ready; gives up (keeping the finished runs) when no
   * worker is there for {@code waits.workerWait} while cells remain. After {@code stop} no new cell
   * starts and the ones in flight are awaited.
   */
  public static Result run(
      ActorSystem<?> system,
      List<Cell> cells,
      long tasks,
      Waits waits,
      Progress progress,
      BooleanSupplier stop,
      PrintStream log) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    system.systemActorOf(
        Behaviors.<Msg>setup(
            ctx ->
                Behaviors.withTimers(
                    timers -> {
                      timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofMillis(100));
                      return new Coordinator(ctx, cells, tasks, waits, progress, stop, log, done)
                          .behavior();
                    })),
        "eval-coordinator-" + RUNS.incrementAndGet(),
        Props.empty());
    try {
      return done.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw e;
    }
  }

  /** One worker as the coordinator sees it. */
  private static final class Worker {
    final int slots;
    final String node;
    final Set<Integer> inFlight = new LinkedHashSet<>();

    Worker(int slots, String node) {
      this.slots = slots;
      this.node = node;
    }
  }

  /** The coordinator's state; touched only by its actor. */
  private static final class Coordinator {
    private final ActorContext<Msg> ctx;
    private final List<Cell> cells;
    private final long tasks;
    private final Waits waits;
    private final Progress progress;
    private final BooleanSupplier stop;
    private final PrintStream log;
    private final CompletableFuture<Result> done;
    private final RunOutcome[] outcomes;
    private final Deque<Integer> queue = new ArrayDeque<>();
    private final Set<ActorRef<CellWorker.Command>> offered = new LinkedHashSet<>();
    private final Map<ActorRef<CellWorker.Command>, Worker> workers = new LinkedHashMap<>();
    private final Map<String, Integer> runsPerNode = new TreeMap<>();
    private final List<String> lost = new ArrayList<>();
    private int finished;
    private int reruns;
    private boolean started;
    private long noWorkerSince = System.nanoTime();

    Coordinator(
        ActorContext<Msg> ctx,
        List<Cell> cells,
        long tasks,
        Waits waits,
        Progress progress,
        BooleanSupplier stop,
        PrintStream log,
        CompletableFuture<Result> done) {
      this.ctx = ctx;
      this.cells = List.copyOf(cells);
      this.tasks = tasks;
      this.waits = waits;
      this.progress = progress;
      this.stop = stop;
      this.log = log;
      this.done = done;
      this.outcomes = new RunOutcome[cells.size()];
      for (int i = 0; i < cells.size(); i++) queue.add(i);
      ActorRef<Receptionist.Listing> adapter =
          ctx.messageAdapter(Receptionist.Listing.class, Workers::new);
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(CellWorker.KEY, adapter));
    }

    Behavior<Msg> behavior() {
      return Behaviors.receive(Msg.class)
          .onMessage(Workers.class, this::onWorkers)
          .onMessage(Ready.class, this::onReady)
          .onMessage(CellDone.class, this::onDone)
          .onMessage(CellFailed.class, this::onFailed)
          .onMessage(Tick.class, t -> onTick())
          .onSignal(Terminated.class, this::onTerminated)
          .build();
    }

    private Behavior<Msg> onWorkers(Workers w) {
      for (ActorRef<CellWorker.Command> ref : w.listing().getServiceInstances(CellWorker.KEY)) {
        if (offered.add(ref)) {
          ctx.watch(ref);
          ref.tell(new CellWorker.Offer(ctx.getSelf()));
        }
      }
      return Behaviors.same();
    }

    private Behavior<Msg> onReady(Ready r) {
      if (offered.contains(r.worker()) && !workers.containsKey(r.worker())) {
        workers.put(r.worker(), new Worker(r.slots(), r.node()));
        dispatch();
      }
      return Behaviors.same();
    }

    private Behavior<Msg> onDone(CellDone d) {
      Worker w = workers.get(d.worker());
      if (w != null) w.inFlight.remove(d.index());
      if (outcomes[d.index()] == null) { // a re-run's second answer is the same numbers: ignored
        outcomes[d.index()] = d.outcome();
        queue.remove(d.index());
        finished++;
        runsPerNode.merge(d.node(), 1, Integer::sum);
        Cell c = cells.get(d.index());
        progress.step(c.group() + " seed " + c.seed());
      }
      dispatch();
      return finishIfDone();
    }

    private Behavior<Msg> onFailed(CellFailed f) {
      Cell c = cells.get(f.index());
      done.completeExceptionally(
          new IllegalStateException(
              "run "
                  + c.group()
                  + " seed "
                  + c.seed()
                  + " failed on worker "
                  + f.node()
                  + ": "
                  + f.error()));
      return Behaviors.stopped();
    }

    private Behavior<Msg> onTerminated(Terminated t) {
      offered.remove(t.getRef());
      Worker w = workers.remove(t.getRef());
      if (w == null) return Behaviors.same();
      lost.add(w.node);
      int again = 0;
      for (int i : w.inFlight) {
        if (outcomes[i] == null && !queue.contains(i)) {
          queue.addFirst(i);
          again++;
        }
      }
      reruns += again;
      log.printf(
          "%nghost-gym eval: worker %s is gone; its %d run(s) in flight start again elsewhere%n",
          w.node, again);
      if (workers.isEmpty()) noWorkerSince = System.nanoTime();
      dispatch();
      return Behaviors.same();
    }

    private Behavior<Msg> onTick() {
      if (done.isDone()) return Behaviors.stopped();
      if (stop.getAsBoolean()) return finishIfDone();
      boolean waiting = !started || workers.isEmpty();
      if (waiting && System.nanoTime() - noWorkerSince > waits.workerWait().toNanos()) {
        String why =
            started
                ? "no eval worker in the cluster for " + waits.workerWait()
                : workers.size()
                    + " of "
                    + waits.minWorkers()
                    + " eval worker(s) joined within "
                    + waits.workerWait();
        complete(why);
        return Behaviors.stopped();
      }
      return Behaviors.same();
    }

    /** Gives each worker cells up to its slots, one worker at a time, while cells wait. */
    private void dispatch() {
      if (!started) {
        if (workers.size() < waits.minWorkers()) return;
        started = true;
      }
      if (stop.getAsBoolean()) return;
      boolean gave = true;
      while (gave && !queue.isEmpty()) {
        gave = false;
        for (Map.Entry<ActorRef<CellWorker.Command>, Worker> e : workers.entrySet()) {
          Worker w = e.getValue();
          if (w.inFlight.size() < w.slots && !queue.isEmpty()) {
            int i = queue.poll();
            w.inFlight.add(i);
            e.getKey().tell(new CellWorker.RunCell(i, cells.get(i), tasks, ctx.getSelf()));
            gave = true;
          }
        }
      }
    }

    private Behavior<Msg> finishIfDone() {
      if (finished == cells.size()) {
        complete(null);
        return Behaviors.stopped();
      }
      if (stop.getAsBoolean() && workers.values().stream().allMatch(w -> w.inFlight.isEmpty())) {
        complete("interrupted");
        return Behaviors.stopped();
      }
      return Behaviors.same();
    }

    private void complete(String why) {
      List<RunOutcome> out = new ArrayList<>();
      for (RunOutcome o : outcomes) if (o != null) out.add(o);
      if (why != null) progress.stop();
      done.complete(
          new Result(
              out,
              java.util.Collections.unmodifiableMap(new TreeMap<>(runsPerNode)),
              reruns,
              List.copyOf(lost),
              why,
              "interrupted".equals(why)));
    }
  }
}
