package dev.ghostgym.learn;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.ForwardingPolicy;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.gym.sched.PickNextEnv;
import dev.ghostgym.learn.deploy.ArrayMlp;
import java.util.ArrayList;
import java.util.List;

/**
 * A centralized policy that answers the PickNext environment's questions (PICK, SLICE) either as a
 * teacher heuristic does or as a student network does, and records, for each of them, the
 * observation the environment would show, its action mask and the teacher's action ({@link
 * PickNextEnv#actionOf}): the demonstrations of behaviour cloning. Driven by the teacher, it
 * records the teacher's own states; driven by the student (DAgger, Ross et al. 2011), the states
 * the student's own mistakes lead to, still labelled by the teacher. Other questions get the
 * environment's base answer, and each decision costs the environment's decision cost, as the
 * deployed policy's would.
 */
final class Demonstrator extends ForwardingPolicy {
  /** One demonstrated decision. */
  record Sample(float[] obs, boolean[] mask, int action) {}

  private final PickNextEnv env;
  private final Policy teacher;
  private final ArrayMlp student; // null: the teacher drives
  private final long costNs;
  private final float[] obs;
  private final boolean[] mask;
  final List<Sample> samples = new ArrayList<>();
  private int quota;
  private final long[] asked = new long[2]; // PICK, SLICE
  private final long[] agreed = new long[2];
  private long unseen; // the teacher chose a task past the visible slots
  private int queued = -1; // the PICK answer promised by a preempting SLICE answer
  private boolean teacherPicksNext; // a SLICE the teacher answered itself: so is the next PICK

  Demonstrator(PickNextEnv env, Policy teacher, ArrayMlp student, long costNs) {
    super(env.basePolicy());
    this.env = env;
    this.teacher = teacher;
    this.student = student;
    this.costNs = costNs;
    this.obs = new float[env.observationSpace().flatDim()];
    this.mask = new boolean[env.slots() + 1];
  }

  /** Record at most {@code n} more decisions (the run goes on unrecorded after them). */
  void quota(int n) {
    quota = n;
  }

  int quota() {
    return quota;
  }

  /** Decisions where the student's action equalled the teacher's, over all labelled ones. */
  double agreement() {
    long n = asked[0] + asked[1];
    return n == 0 ? 1.0 : (double) (agreed[0] + agreed[1]) / n;
  }

  /** {@link #agreement} on PICK (0) or SLICE (1) decisions only. */
  double agreement(int kind) {
    return asked[kind] == 0 ? 1.0 : (double) agreed[kind] / asked[kind];
  }

  /** Decisions where the teacher's choice was no action here (a task past the visible slots). */
  long unseen() {
    return unseen;
  }

  /** Labelled decisions the student answered, PICK (0) or SLICE (1). */
  long labelled(int kind) {
    return asked[kind];
  }

  @Override
  public String name() {
    return "demonstrator(" + teacher.name() + ")";
  }

  @Override
  public long decisionCostNs() {
    return costNs;
  }

  @Override
  public int decide(DecisionRequest r) {
    DecisionRequest.Kind k = r.kind();
    if (k != DecisionRequest.Kind.PICK && k != DecisionRequest.Kind.SLICE) return inner.decide(r);
    if (queued >= 0) {
      int a = queued;
      queued = -1;
      return a;
    }
    if (teacherPicksNext && k == DecisionRequest.Kind.PICK) {
      teacherPicksNext = false;
      return teacher.decide(r);
    }
    teacherPicksNext = false;
    int label = env.actionOf(r, teacher);
    env.observeInto(r, obs);
    env.maskInto(r, mask);
    int action = label;
    if (label < 0) unseen++;
    if (student != null) {
      action = Nets.argmax(student.forward(obs), mask);
      if (label >= 0) {
        int kind = k == DecisionRequest.Kind.PICK ? 0 : 1;
        asked[kind]++;
        if (action == label) agreed[kind]++;
      }
    }
    if (label >= 0 && quota > 0) {
      samples.add(new Sample(obs.clone(), mask.clone(), label));
      quota--;
    }
    if (action < 0) { // the teacher chose what is no action here (a task past the slots)
      int a = teacher.decide(r);
      teacherPicksNext = k == DecisionRequest.Kind.SLICE && a == 1;
      return a;
    }
    // The env's answers; a preempting SLICE answer promises the slot to the next PICK.
    int[] answers = env.answers(r, action);
    if (answers.length == 2) queued = answers[1];
    return answers[0];
  }
}
