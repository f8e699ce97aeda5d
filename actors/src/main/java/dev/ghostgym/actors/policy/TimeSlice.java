package dev.ghostgym.actors.policy;

import java.util.List;

/**
 * Centralized scheduling with a time slice, the head of the run queue next. Two shapes:
 *
 * <ul>
 *   <li>{@link #upstream} ({@code shinjuku}): ghost-userspace's Shinjuku agent ({@code
 *       schedulers/shinjuku}): new and yielding tasks at the back, woken and preempted tasks
 *       (prio-boosted) at the front; the slice is polled from the commit time, never renewed, after
 *       idle CPUs are filled (KERNEL-MODEL.md section 2.7). It follows the application's PrioTable
 *       ({@link #followsPrioTable}): one run queue per QoS, the highest served first ({@code
 *       FirstFilledRunqueue}), a waiting task of higher QoS preempts a running one of lower QoS at
 *       once and one of equal QoS only after its slice; a task whose sched item is not RUNNABLE is
 *       held out of the queues.
 *   <li>otherwise ({@code rr}, default slice 1 ms; {@code shinjuku-paper}, 30 us): every task to
 *       the back, preempted ones included, the paper's description of ghOSt-Shinjuku (a FIFO of
 *       requests whose preempted requests go to the back; KERNEL-MODEL.md section 3.2); a timer per
 *       slice, renewed while nobody waits.
 * </ul>
 */
public final class TimeSlice implements Policy {
  private final String name;
  private final long sliceNs;
  private final boolean upstream;

  public TimeSlice(String name, long sliceNs) {
    this(name, sliceNs, false);
  }

  public TimeSlice(String name, long sliceNs, boolean upstream) {
    if (sliceNs <= 0)
      throw new IllegalArgumentException("policy.slice: expected > 0, got " + sliceNs + " ns");
    this.name = name;
    this.sliceNs = sliceNs;
    this.upstream = upstream;
  }

  /** ghost-userspace's Shinjuku agent with this slice (ghost-userspace's default is 50 us). */
  public static TimeSlice shinjuku(long sliceNs) {
    return new TimeSlice("shinjuku", sliceNs, true);
  }

  /** The paper's ghOSt-Shinjuku: preempted requests to the back. */
  public static TimeSlice shinjukuPaper(long sliceNs) {
    return new TimeSlice("shinjuku-paper", sliceNs, false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Model model() {
    return Model.CENTRALIZED;
  }

  @Override
  public long sliceNs() {
    return sliceNs;
  }

  @Override
  public SliceStyle sliceStyle() {
    return upstream ? SliceStyle.POLLED : SliceStyle.TIMER;
  }

  @Override
  public boolean followsPrioTable() {
    return upstream;
  }

  @Override
  public int decide(DecisionRequest r) {
    return switch (r.kind()) {
      case PLACE -> r.cpus().get(0).cpu();
      case INSERT -> upstream ? insertByQos(r) : r.runQueue().size();
      case PICK -> r.runQueue().isEmpty() ? -1 : 0;
      // Shinjuku's GlobalSchedule: a running task of higher QoS than the head keeps its CPU.
      case SLICE -> upstream && r.task().qos() > r.runQueue().get(0).qos() ? 0 : 1;
      case PREEMPT -> -1;
    };
  }

  /**
   * Shinjuku's {@code Enqueue} into {@code run_queue_[qos]}, kept here as one queue ordered by QoS,
   * highest first: a prio-boosted task to the front of its QoS, any other to the back.
   */
  private static int insertByQos(DecisionRequest r) {
    int qos = r.task().qos();
    boolean front = r.task().boosted();
    List<? extends TaskView> q = r.runQueue();
    for (int i = 0; i < q.size(); i++) {
      int other = q.get(i).qos();
      if (front ? other <= qos : other < qos) return i;
    }
    return q.size();
  }
}
