package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.EnvSpec;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.sched.GhostEnvs;
import dev.ghostgym.gym.sched.RecordEpisode;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.spaces.Space;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** envs, check-env and replay from the command line. */
class GymCommandsTest {
  /** Observes 5 in a Discrete(3) space: the checker must fail it. */
  static final class Broken extends Env<Integer, Integer> {
    Broken(Map<String, Object> options) {}

    @Override
    public Reset<Integer> reset(Long seed, Map<String, Object> options) {
      seedNpRandom(seed);
      return new Reset<>(5, Map.of());
    }

    @Override
    public Step<Integer> step(Integer action) {
      return new Step<>(5, 0, true, false, Map.of());
    }

    @Override
    public Space<Integer> observationSpace() {
      return new Discrete(3);
    }

    @Override
    public Space<Integer> actionSpace() {
      return new Discrete(2);
    }
  }

  @Test
  void envsListsTheGhostIdsWithTheirSpaces() {
    Cli r = Cli.run("envs");
    assertEquals(0, r.code(), r.err());
    for (String id :
        new String[] {GhostEnvs.SEED_COMPAT, GhostEnvs.PICK_NEXT, GhostEnvs.PLACEMENT}) {
      assertTrue(r.out().contains(id), id);
    }
    assertTrue(r.out().contains("action:      Discrete(17)"), r.out());
    assertTrue(r.out().contains("(flattened: 402 floats)"), r.out());
  }

  @Test
  void checkEnvPassesGoodEnvsAndFailsABrokenOne() {
    Cli ok = Cli.run("check-env", GhostEnvs.PICK_NEXT, "--set", "tasks=200", "--set", "slice=30us");
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("step-determinism"), ok.out());
    Gym.register(EnvSpec.of("test/Broken-v0", Broken::new));
    Cli bad = Cli.run("check-env", "test/Broken-v0");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("FAILED") && bad.err().contains("reset-observation"), bad.err());
    Cli unknown = Cli.run("check-env", "ghost/Nope-v0");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("ghost/SeedCompat-v0"), unknown.err());
  }

  @Test
  @SuppressWarnings("unchecked")
  void replayVerifiesARecordedEpisodeAndRejectsAChangedOne(@TempDir Path dir) throws Exception {
    Env<Object, Integer> env =
        (Env<Object, Integer>)
            (Env<?, ?>) Gym.make(GhostEnvs.SEED_COMPAT, Map.of("tasks", 200, "cpus", 2));
    RecordEpisode<Object> rec = new RecordEpisode<>(env, dir);
    var reset = rec.reset(11L, null);
    Map<String, Object> info = reset.info();
    while (true) {
      boolean[] m = (boolean[]) info.get("action_mask");
      int a = 0;
      for (int i = m.length - 1; i >= 0; i--)
        if (m[i]) {
          a = i;
          break;
        }
      Step<Object> s = rec.step(a);
      info = s.info();
      if (s.terminated()) break;
    }
    Cli same = Cli.run("replay", rec.lastFile().toString());
    assertEquals(0, same.code(), same.out() + same.err());
    assertTrue(same.out().contains("identical to the recording"), same.out());
    String json = Files.readString(rec.lastFile()).replaceFirst("\"seed\" : 11", "\"seed\" : 12");
    Path changed = dir.resolve("changed.json");
    Files.writeString(changed, json);
    Cli other = Cli.run("replay", changed.toString());
    assertEquals(1, other.code());
    assertTrue(other.out().contains("DIFFERS"), other.out());
  }
}
