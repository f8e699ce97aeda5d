package dev.ghostgym.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.gym.sched.PickNextEnv;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PPO's warm start by behaviour cloning: the cloned actor makes the teacher's choices on held-out
 * runs it drives itself, where the same PPO run without the warm start does not; a teacher that
 * does not fit the environment is refused with a line naming {@code --warm-start}.
 */
class CloningTest {
  @TempDir Path dir;

  private static final String TEACHER = "las@quantum=100us"; // Tiny's slice

  private static Map<String, Object> options() {
    Map<String, Object> o = Tiny.options();
    o.put("las_rank", "true");
    o.put("queue_order", "attained");
    return o;
  }

  private static TrainSpec spec(Path out) {
    return new TrainSpec(
        Tiny.spec(5, 1, out).envId(),
        options(),
        5,
        1,
        out,
        false,
        0,
        TrainSpec.heldOutSeeds(1),
        System.out);
  }

  /** Agreement with the teacher of the actor saved in {@code dir}, on runs it drives. */
  private static double agreement(Path dir) {
    Checkpoint c = Checkpoint.read(dir);
    Block block = c.newBlock();
    try (NDManager m = NDManager.newBaseManager()) {
      Checkpoint.loadParams(dir, block, m);
      Policy teacher = Cloning.teacher(TEACHER, options(), 1);
      return Cloning.agreement(new PickNextEnv(options()), teacher, block, 0, options(), 4_000_001);
    }
  }

  @Test
  void theClonedActorMakesTheTeachersChoicesOnHeldOutRuns() {
    PpoConfig cloned =
        HyperParameters.with(
            Tiny.ppo(),
            Map.of("warmStart", TEACHER, "warmStartDecisions", "3000", "warmStartEpochs", "20"));
    assertTrue(cloned.warmStarts());
    Path a = dir.resolve("cloned");
    Path b = dir.resolve("plain");
    Ppo.train(cloned, spec(a));
    Ppo.train(Tiny.ppo(), spec(b));
    double withClone = agreement(a);
    double without = agreement(b);
    System.out.printf(
        "cloning tiny: agreement %.3f with the warm start, %.3f without%n", withClone, without);
    assertTrue(withClone >= 0.95, "agreement with the warm start " + withClone);
    assertTrue(without <= 0.85, "agreement without it " + without);
    assertEquals(TEACHER, Checkpoint.read(a).config().get("warmStart"));
  }

  @Test
  void aTeacherThatDoesNotFitTheEnvironmentIsRefused() {
    Map<String, Object> o = options();
    assertMessage("--warm-start nope: policy: expected one of", "nope", o);
    assertMessage("--warm-start fifo: expected a centralized policy", "fifo", o);
    assertMessage("--warm-start srpt: it preempts on arrival", "srpt", o);
    assertMessage(
        "--warm-start las@quantum=10us: its slice is 10000 ns but the environment's is 100000 ns",
        "las@quantum=10us",
        o);
    assertMessage(
        "--warm-start: expected NAME[@KEY=VALUE;...], got 'las@quantum'", "las@quantum", o);
    assertMessage(
        "--warm-start las@nope=1: policy.nope: policy las has no parameter", "las@nope=1", o);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HyperParameters.with(Tiny.ppo(), Map.of("warmStartDecisions", "0")));
    assertEquals("algo.warmStartDecisions: expected 1..10000000, got 0", e.getMessage());
    assertTrue(Cloning.teacher(TEACHER, o, 1).name().equals("las"));
  }

  private static void assertMessage(String prefix, String spec, Map<String, Object> o) {
    var e = assertThrows(IllegalArgumentException.class, () -> Cloning.teacher(spec, o, 1));
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
  }
}
