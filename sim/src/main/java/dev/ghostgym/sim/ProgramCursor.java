package dev.ghostgym.sim;

import dev.ghostgym.config.Step;
import java.util.List;

/**
 * Walks a task's program step by step, unrolling loops lazily so that a forever-loop costs no
 * memory. Returns null after the last step (the task exits).
 */
final class ProgramCursor {
  private List<Step> steps;
  private int index;
  private int loopsLeft; // iterations still to run of the innermost loop (<0: forever)
  private ProgramCursor outer; // the frame to return to when the innermost loop ends

  ProgramCursor(List<Step> steps) {
    this.steps = steps;
    this.loopsLeft = 0;
  }

  private ProgramCursor(List<Step> steps, int loops, ProgramCursor outer) {
    this.steps = steps;
    this.loopsLeft = loops;
    this.outer = outer;
  }

  /** The next primitive step (never a Loop), or null at the end of the program. */
  Step next() {
    while (true) {
      if (index < steps.size()) {
        Step s = steps.get(index++);
        if (s instanceof Step.Loop loop) {
          if (loop.times() == 0 || loop.body().isEmpty()) continue;
          // Push the current frame: copy it into a new outer frame and run the body here.
          ProgramCursor saved = new ProgramCursor(steps, loopsLeft, outer);
          saved.index = index;
          outer = saved;
          steps = loop.body();
          index = 0;
          loopsLeft = loop.times() < 0 ? -1 : loop.times() - 1;
          continue;
        }
        return s;
      }
      if (outer == null) return null;
      if (loopsLeft != 0) {
        if (loopsLeft > 0) loopsLeft--;
        index = 0;
        continue;
      }
      steps = outer.steps;
      index = outer.index;
      loopsLeft = outer.loopsLeft;
      outer = outer.outer;
    }
  }
}
