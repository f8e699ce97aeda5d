package dev.ghostgym.learn.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.sched.PickNextEnv;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The array forms answer what the environment did not ask with training's {@code policy_fallback},
 * as the DJL form does, and an oracle fallback marks the learned policy oracle.
 */
class FastPolicyFallbackTest {
  private static final DistilledTree LEAF =
      new DistilledTree(
          new int[] {-1}, new double[] {0}, new int[] {0}, new int[] {0}, new float[] {1});

  @Test
  void anOracleFallbackMarksEveryFormOracle() {
    PickNextEnv withSrpt = new PickNextEnv(Map.of("policy_fallback", "srpt"));
    FastPolicy tree = FastPolicy.tree("t", withSrpt, LEAF, 0, 7);
    assertTrue(tree.oracle(), "srpt answers the questions the env did not ask");
    PickNextEnv plain = new PickNextEnv(Map.of());
    assertFalse(FastPolicy.tree("t", plain, LEAF, 0, 7).oracle());
  }

  @Test
  void theFallbackKeepsTheEnvironmentsSlice() {
    PickNextEnv env = new PickNextEnv(Map.of("policy_fallback", "las", "slice", "10us"));
    FastPolicy tree = FastPolicy.tree("t", env, LEAF, 0, 7);
    assertEquals(env.basePolicy().sliceNs(), tree.sliceNs());
    assertEquals(10_000, tree.sliceNs());
  }
}
