package dev.ghostgym.gym.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.testenvs.ScriptedEnv;
import org.junit.jupiter.api.Test;

class TimeLimitAndOrderTest {
  @Test
  void truncatesExactlyAtTheLimitAndRestartsCountingOnReset() {
    TimeLimit<Integer, Integer> env = new TimeLimit<>(new ScriptedEnv(0, 1.0), 3);
    for (int episode = 0; episode < 2; episode++) {
      env.reset();
      assertEquals(0, env.elapsedSteps());
      Step<Integer> s1 = env.step(0);
      Step<Integer> s2 = env.step(0);
      Step<Integer> s3 = env.step(0);
      assertFalse(s1.truncated() || s2.truncated());
      assertTrue(s3.truncated());
      assertFalse(s3.terminated(), "terminated is untouched");
      assertEquals(3, s3.observation());
      assertEquals(3, env.elapsedSteps());
    }
  }

  @Test
  void terminatedPassesThroughAndCanCoincideWithTruncation() {
    TimeLimit<Integer, Integer> early = new TimeLimit<>(new ScriptedEnv(2, 1.0), 3);
    early.reset();
    early.step(0);
    Step<Integer> end = early.step(0);
    assertTrue(end.terminated());
    assertFalse(end.truncated());

    TimeLimit<Integer, Integer> same = new TimeLimit<>(new ScriptedEnv(3, 1.0), 3);
    same.reset();
    same.step(0);
    same.step(0);
    Step<Integer> both = same.step(0);
    assertTrue(both.terminated() && both.truncated(), "as Gymnasium's TimeLimit");
    assertThrows(IllegalArgumentException.class, () -> new TimeLimit<>(new ScriptedEnv(0, 1.0), 0));
  }

  @Test
  void orderEnforcingRefusesStepBeforeReset() {
    ScriptedEnv inner = new ScriptedEnv(0, 1.0);
    OrderEnforcing<Integer, Integer> env = new OrderEnforcing<>(inner);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> env.step(1));
    assertEquals(
        "Cannot call step() before reset() on <ScriptedEnv instance>: call reset(seed, options) first"
            + " to start an episode",
        e.getMessage());
    assertEquals(0, inner.steps, "the wrapped env never saw the step");
    assertFalse(env.hasReset());
    env.reset(1);
    assertEquals(1, env.step(1).observation());
    assertEquals(1, inner.lastAction);
  }
}
