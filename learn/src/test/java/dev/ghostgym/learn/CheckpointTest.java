package dev.ghostgym.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.actors.policy.DecisionRequest;
import dev.ghostgym.actors.policy.ForwardingPolicy;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.sched.GhostEnvs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  /** Records every answer of a policy. */
  private static final class Recording extends ForwardingPolicy {
    private final List<Integer> answers;

    Recording(Policy inner, List<Integer> answers) {
      super(inner);
      this.answers = answers;
    }

    @Override
    public int decide(DecisionRequest r) {
      int a = inner.decide(r);
      answers.add(a);
      return a;
    }
  }

  private List<Integer> decisions(LearnedPolicy p, long seed) {
    List<Integer> answers = new ArrayList<>();
    Evaluation.run(Tiny.options(), seed, Evaluation.agents(new Recording(p, answers)));
    return answers;
  }

  @Test
  void roundTripGivesIdenticalDecisionsAndResume() {
    Path out = dir.resolve("ckpt");
    Ppo.train(Tiny.ppo(), Tiny.spec(5, 1024, out));
    Checkpoint c = Checkpoint.read(out);
    assertEquals("ppo", c.algo());
    assertEquals(GhostEnvs.PICK_NEXT, c.envId());
    assertEquals(1024, c.steps());
    assertEquals(List.of(32, 32), c.hidden());
    try (LearnedPolicy a = LearnedPolicy.load(out);
        LearnedPolicy b = LearnedPolicy.load(out)) {
      List<Integer> da = decisions(a, 42);
      assertTrue(da.size() > 100, "decisions: " + da.size());
      assertEquals(da, decisions(b, 42));
      float[][] obs = new float[8][c.obsDim()];
      SplittableRandom rng = new SplittableRandom(9);
      for (float[] row : obs)
        for (int k = 0; k < row.length; k++) row[k] = (float) rng.nextDouble(0, 5);
      float[][] sa = a.scores(obs), sb = b.scores(obs);
      for (int i = 0; i < obs.length; i++) assertArrayEquals(sa[i], sb[i]);
    }
    // resume: continues from the checkpoint's step and appends to the CSV
    TrainSpec more =
        new TrainSpec(
            GhostEnvs.PICK_NEXT,
            Tiny.options(),
            5,
            2048,
            out,
            true,
            0,
            TrainSpec.heldOutSeeds(2),
            null);
    TrainResult r = Ppo.train(Tiny.ppo(), more);
    assertEquals(2048, r.steps());
    assertEquals(2048, Checkpoint.read(out).steps());
    assertTrue(Files.exists(out.resolve(TrainLog.PNG)));
  }

  @Test
  void theLearnedPolicySeesWhatTheEnvironmentShowed() {
    Path out = dir.resolve("env");
    Ppo.train(Tiny.ppo(), Tiny.spec(6, 1024, out));
    try (LearnedPolicy p = LearnedPolicy.load(out)) {
      Env<Map<String, Object>, Integer> env = Gym.make(GhostEnvs.PICK_NEXT, Tiny.options());
      Reset<Map<String, Object>> r = env.reset(77L, null);
      Map<String, Object> obs = r.observation();
      boolean[] mask = (boolean[]) r.info().get("action_mask");
      Step<Map<String, Object>> s;
      do {
        float[] scores = p.scores(new float[][] {env.observationSpace().flatten(obs)})[0];
        s = env.step(Nets.argmax(scores, mask));
        obs = s.observation();
        mask = (boolean[]) s.info().get("action_mask");
      } while (!s.done());
      @SuppressWarnings("unchecked")
      Map<String, Object> metrics = (Map<String, Object>) s.info().get("metrics");
      double simulated = Evaluation.run(Tiny.options(), 77, Evaluation.agents(p));
      // Exactly equal: the paused environment and the uninterrupted simulation make the same
      // decisions (both report the exact mean response, not the histogram's rounded one).
      double episode = (double) metrics.get("response_mean_us");
      assertEquals(episode, simulated, 1e-9);
    }
  }

  @Test
  void badCheckpointsAreOneLineErrors() {
    LearnError e = assertThrows(LearnError.class, () -> LearnedPolicy.load(dir.resolve("nothing")));
    assertTrue(e.getMessage().contains("no checkpoint.json"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}
