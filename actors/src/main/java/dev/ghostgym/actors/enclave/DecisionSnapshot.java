package dev.ghostgym.actors.enclave;

import dev.ghostgym.actors.policy.CpuView;
import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.TaskView;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DecisionRequest} as data: the request with its tasks and CPUs copied into records, so it
 * can be sent to a {@link PolicyActor} from anywhere (another JVM, a learner) and answered later.
 */
public record DecisionSnapshot(
    long id,
    DecisionRequest.Kind kind,
    DecisionRequest.Trigger trigger,
    int cpu,
    Task task,
    List<Task> runQueue,
    List<Cpu> cpus,
    long nowNs)
    implements CborSerializable {

  /** A task as a policy saw it when the request was made. */
  public record Task(
      long gtid,
      int hint,
      int nice,
      long runnableSinceNs,
      long attainedNs,
      int preemptions,
      boolean boosted,
      long remainingNs,
      long burstNs,
      long deadlineNs)
      implements TaskView, CborSerializable {
    static Task of(TaskView t) {
      if (t == null) return null;
      if (t instanceof Task s) return s;
      return new Task(
          t.gtid(),
          t.hint(),
          t.nice(),
          t.runnableSinceNs(),
          t.attainedNs(),
          t.preemptions(),
          t.boosted(),
          t.remainingNs(),
          t.burstNs(),
          t.deadlineNs());
    }
  }

  /** A CPU as a policy saw it when the request was made. */
  public record Cpu(int cpu, Task current, long runningSince, int queueLength, boolean available)
      implements CborSerializable {}

  public DecisionSnapshot {
    runQueue = List.copyOf(runQueue);
    cpus = List.copyOf(cpus);
  }

  /** Copies {@code r} (its run queue and CPU views are read now). */
  public static DecisionSnapshot of(DecisionRequest r) {
    List<Task> rq = new ArrayList<>(r.runQueue().size());
    for (TaskView t : r.runQueue()) rq.add(Task.of(t));
    List<Cpu> cpus = new ArrayList<>(r.cpus().size());
    for (CpuView c : r.cpus()) {
      cpus.add(
          new Cpu(c.cpu(), Task.of(c.current()), c.runningSince(), c.queueLength(), c.available()));
    }
    return new DecisionSnapshot(
        r.id(), r.kind(), r.trigger(), r.cpu(), Task.of(r.task()), rq, cpus, r.nowNs());
  }

  /** The request a policy answers. */
  public DecisionRequest toRequest() {
    List<CpuView> views = new ArrayList<>(cpus.size());
    for (Cpu c : cpus)
      views.add(
          new CpuView(c.cpu(), c.current(), c.runningSince(), c.queueLength(), c.available()));
    return new DecisionRequest(id, kind, trigger, cpu, task, runQueue, views, nowNs);
  }
}
