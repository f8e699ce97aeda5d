package dev.ghostgym.actors.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.agent.AgentTask.State;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The run-state machine of {@link AgentTask}: every move in ghOSt's FIFO is taken, no other. */
class AgentTaskTest {
  /** Every allowed move, written out here independently of the table under test. */
  private static final Set<String> LEGAL =
      Set.of(
          "BLOCKED->RUNNABLE",
          "BLOCKED->BLOCKED",
          "RUNNABLE->QUEUED",
          "RUNNABLE->ON_CPU",
          "RUNNABLE->BLOCKED",
          "QUEUED->RUNNABLE",
          "QUEUED->BLOCKED",
          "ON_CPU->ON_CPU",
          "ON_CPU->RUNNABLE",
          "ON_CPU->BLOCKED");

  /** A task brought to {@code s} by legal moves only. */
  private static AgentTask in(State s) {
    AgentTask t = new AgentTask(42, 1);
    switch (s) {
      case BLOCKED -> {}
      case RUNNABLE -> t.to(State.RUNNABLE);
      case QUEUED -> {
        t.to(State.RUNNABLE);
        t.to(State.QUEUED);
      }
      case ON_CPU -> {
        t.to(State.RUNNABLE);
        t.to(State.ON_CPU);
      }
    }
    assertEquals(s, t.state());
    return t;
  }

  @Test
  void aNewTaskIsBlocked() {
    assertEquals(State.BLOCKED, new AgentTask(7, 0).state());
  }

  @Test
  void everyPairIsAllowedOrRefusedAsGhostFifoDoes() {
    int allowed = 0, refused = 0;
    for (State from : State.values()) {
      for (State to : State.values()) {
        AgentTask t = in(from);
        String move = from + "->" + to;
        if (LEGAL.contains(move)) {
          t.to(to);
          assertEquals(to, t.state(), move);
          allowed++;
        } else {
          IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.to(to), move);
          assertEquals(from, t.state(), "a refused move leaves the state as it was: " + move);
          assertTrue(
              e.getMessage().contains("task 42") && e.getMessage().contains(from + " -> " + to),
              e.getMessage());
          refused++;
        }
      }
    }
    assertEquals(10, allowed);
    assertEquals(6, refused);
  }

  @Test
  void theFifoLifecycleRunsThroughTheTable() {
    AgentTask t = new AgentTask(3, 0);
    // wakeup, enqueue, dequeue, commit, preempt, enqueue, dequeue, commit, block
    for (State s :
        List.of(
            State.RUNNABLE,
            State.QUEUED,
            State.RUNNABLE,
            State.ON_CPU,
            State.RUNNABLE,
            State.QUEUED,
            State.RUNNABLE,
            State.ON_CPU,
            State.BLOCKED)) {
      t.to(s);
    }
    assertEquals(State.BLOCKED, t.state());
  }

  @Test
  void aBlockedTaskCannotBeQueuedOrRunWithoutAWakeup() {
    AgentTask t = in(State.BLOCKED);
    assertThrows(IllegalStateException.class, () -> t.to(State.QUEUED));
    assertThrows(IllegalStateException.class, () -> t.to(State.ON_CPU));
    AgentTask q = in(State.QUEUED);
    assertThrows(
        IllegalStateException.class,
        () -> q.to(State.ON_CPU),
        "a queued task is dequeued before it runs");
  }
}
