package dev.ghostgym.actors.policy;

/**
 * Centralized round robin with a time slice: the head runs next; when a slice expires and others
 * wait, the task is preempted and goes to the back, as do new and woken tasks. {@code rr} (default
 * slice 1 ms) and {@code shinjuku} (30 us, the paper's ghOSt-Shinjuku: a FIFO of requests whose
 * preempted requests go to the back; ghost-model.md section 3.2).
 */
public final class TimeSlice implements Policy {
  private final String name;
  private final long sliceNs;

  public TimeSlice(String name, long sliceNs) {
    if (sliceNs <= 0) throw new IllegalArgumentException("policy.slice: expected > 0, got " + sliceNs + " ns");
    this.name = name;
    this.sliceNs = sliceNs;
  }

  @Override public String name() { return name; }

  @Override public Model model() { return Model.CENTRALIZED; }

  @Override public long sliceNs() { return sliceNs; }

  @Override public int decide(DecisionRequest r) {
    return switch (r.kind()) {
      case PLACE -> r.cpus().get(0).cpu();
      case INSERT -> r.runQueue().size();
      case PICK -> r.runQueue().isEmpty() ? -1 : 0;
      case SLICE -> 1;
      case PREEMPT -> -1;
    };
  }
}
