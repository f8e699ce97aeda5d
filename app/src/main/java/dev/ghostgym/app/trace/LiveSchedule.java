package dev.ghostgym.app.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Lays out what {@link LiveTrace} observed on a timeline a kernel could have produced, and replays
 * it into a {@link ScheduleLog} through the same {@link dev.ghostgym.sim.SimObserver} calls a
 * simulation makes, in time order. Per CPU, agent passes and task runs are placed in the order they
 * began, each starting no earlier than the previous one ended and a run ending no later than the
 * next one begins; task creations and wakeups are moved no later than the run they led to.
 */
final class LiveSchedule {
  /** How a run ended: {@link LiveTrace}'s End ordinal, or -1 for a task still on its CPU. */
  private static final int RUNNABLE = 0, EXITED = 2;

  private record Item(boolean pass, long anchor, long end, long gtid, long delta, int ending) {}

  private record Call(long time, Runnable action) {}

  private record Placed(long start, long end) {}

  private record NewTask(long gtid, long parent, String name, boolean runnable, long time) {}

  private final int cpus;
  private final List<List<Item>> items = new ArrayList<>();
  private final List<NewTask> created = new ArrayList<>();
  private final List<long[]> wakes = new ArrayList<>(); // gtid, time
  private final List<Runnable> commits = new ArrayList<>();
  private final Map<Long, List<Placed>> placed = new HashMap<>();
  private final ScheduleLog log;

  LiveSchedule(int cpus) {
    this.cpus = cpus;
    this.log = new ScheduleLog(cpus);
    for (int c = 0; c < cpus; c++) items.add(new ArrayList<>());
  }

  void pass(int cpu, long begin, long end) {
    items.get(cpu).add(new Item(true, begin, end, 0, 0, 0));
  }

  /** A run of {@code gtid} from about {@code anchor}, {@code delta} ns long if known (else -1). */
  void run(int cpu, long gtid, long anchor, long delta, long seen, int ending) {
    items.get(cpu).add(new Item(false, anchor, seen, gtid, delta, ending));
  }

  void task(long gtid, long parent, String name, boolean runnable, long time) {
    created.add(new NewTask(gtid, parent, name, runnable, time));
  }

  void wake(long gtid, long time) {
    wakes.add(new long[] {gtid, time});
  }

  void commit(long time, int cpu, long gtid, String outcome) {
    commits.add(() -> log.onCommit(time, cpu, gtid, outcome));
  }

  /** Replays everything into a fresh {@link ScheduleLog}, finished at {@code end}. */
  ScheduleLog replay(long end) {
    List<List<Call>> lists = new ArrayList<>();
    lists.add(null); // the tasks' calls, made once runs are placed
    for (int c = 0; c < cpus; c++) lists.add(layOut(c));
    lists.set(0, taskCalls());
    PriorityQueue<int[]> heads =
        new PriorityQueue<>(
            Comparator.<int[]>comparingLong(h -> lists.get(h[0]).get(h[1]).time())
                .thenComparingInt(h -> h[0]));
    for (int i = 0; i < lists.size(); i++) if (!lists.get(i).isEmpty()) heads.add(new int[] {i, 0});
    while (!heads.isEmpty()) {
      int[] h = heads.poll();
      List<Call> l = lists.get(h[0]);
      l.get(h[1]).action().run();
      if (h[1] + 1 < l.size()) heads.add(new int[] {h[0], h[1] + 1});
    }
    commits.forEach(Runnable::run);
    log.finish(end);
    return log;
  }

  /** One CPU's passes and runs, end to end, as calls in time order. */
  private List<Call> layOut(int cpu) {
    List<Item> is = items.get(cpu);
    is.sort(Comparator.comparingLong(Item::anchor).thenComparing(i -> !i.pass()));
    List<Call> calls = new ArrayList<>();
    // No task ran here: the agent is a global one that spins, owning its CPU (it never blocks).
    boolean spinning = is.stream().allMatch(Item::pass);
    long free = 0;
    for (int k = 0; k < is.size(); k++) {
      Item it = is.get(k);
      long start = Math.max(it.anchor(), free);
      long stop;
      if (it.pass()) {
        stop = Math.max(start, it.end());
        calls.add(new Call(start, () -> log.onAgentRun(start, cpu)));
        long s = stop;
        calls.add(new Call(s, () -> log.onAgentCommitPoint(s, cpu)));
        if (!spinning) calls.add(new Call(s, () -> log.onAgentBlock(s, cpu)));
      } else {
        stop = it.delta() >= 0 ? Math.min(start + it.delta(), it.end()) : it.end();
        if (k + 1 < is.size()) stop = Math.min(stop, is.get(k + 1).anchor());
        stop = Math.max(start, stop);
        addRun(calls, cpu, it, start, stop);
      }
      free = stop;
    }
    return calls;
  }

  private void addRun(List<Call> calls, int cpu, Item it, long start, long stop) {
    long gtid = it.gtid();
    placed.computeIfAbsent(gtid, g -> new ArrayList<>()).add(new Placed(start, stop));
    calls.add(new Call(start, () -> log.onRun(start, cpu, gtid, true)));
    if (it.ending() < 0) return; // still on its CPU when the recording ended
    calls.add(new Call(stop, () -> log.onStop(stop, cpu, gtid)));
    if (it.ending() == RUNNABLE) calls.add(new Call(stop, () -> log.onRunnable(stop, gtid)));
    else if (it.ending() == EXITED) calls.add(new Call(stop, () -> log.onExit(stop, gtid)));
  }

  /** Creations and wakeups, each no later than the start of the run it led to. */
  private List<Call> taskCalls() {
    placed.values().forEach(l -> l.sort(Comparator.comparingLong(Placed::start)));
    List<Call> calls = new ArrayList<>();
    for (NewTask n : created) {
      List<Placed> runs = placed.getOrDefault(n.gtid(), List.of());
      long t = runs.isEmpty() ? n.time() : Math.min(n.time(), runs.get(0).start());
      calls.add(
          new Call(
              t,
              () -> {
                log.onTaskNew(t, n.gtid(), n.parent(), n.name(), true);
                if (n.runnable()) log.onRunnable(t, n.gtid());
              }));
    }
    for (long[] w : wakes) {
      long gtid = w[0];
      long t = w[1];
      for (Placed p : placed.getOrDefault(gtid, List.of())) {
        if (p.end() > t) {
          t = Math.min(t, p.start()); // woken before the run it was decoded in
          break;
        }
      }
      long at = t;
      calls.add(
          new Call(
              at,
              () -> {
                log.onWakeup(at, gtid);
                log.onRunnable(at, gtid);
              }));
    }
    calls.sort(Comparator.comparingLong(Call::time)); // stable: a creation before its wakeups
    return calls;
  }
}
