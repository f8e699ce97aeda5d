package dev.ghostgym.actors.policy;

/**
 * Centralized scheduling with a time slice, the head of the run queue next. Two shapes:
 *
 * <ul>
 *   <li>{@link #upstream} ({@code shinjuku}): ghost-userspace's Shinjuku agent ({@code
 *       schedulers/shinjuku}): new and yielding tasks at the back, woken and preempted tasks
 *       (prio-boosted) at the front; the slice is polled from the commit time, never renewed, after
 *       idle CPUs are filled (KERNEL-MODEL.md section 2.7).
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
  public int decide(DecisionRequest r) {
    return switch (r.kind()) {
      case PLACE -> r.cpus().get(0).cpu();
      case INSERT -> upstream && r.task().boosted() ? 0 : r.runQueue().size();
      case PICK -> r.runQueue().isEmpty() ? -1 : 0;
      case SLICE -> 1;
      case PREEMPT -> -1;
    };
  }
}
