package dev.ghostgym.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout in groups of envs (PPO's pipelined rollout over a cluster): the learning curve
 * depends on the seed and the number of groups only, not on whether the envs are local or pipelined
 * nor on the order their answers arrive in; one group is the plain synchronous rollout.
 */
class GroupedRolloutTest {
  @TempDir Path dir;

  private List<String> curve(Path out) throws IOException {
    return Files.readAllLines(out.resolve(TrainLog.CSV)).stream()
        .map(l -> l.substring(0, l.lastIndexOf(',')))
        .toList();
  }

  private TrainSpec spec(String name, int groups, Long answerOrder) {
    TrainSpec s = Tiny.spec(3, 1024, dir.resolve(name)).withRolloutGroups(groups);
    return answerOrder == null
        ? s
        : s.withVectorEnvs(n -> new ShuffledPipelinedEnv(s.envId(), s.options(), n, answerOrder));
  }

  @Test
  void theCurveDependsOnTheSeedAndTheGroupsOnly() throws IOException {
    Ppo.train(Tiny.ppo(), spec("sync", 1, null));
    Ppo.train(Tiny.ppo(), spec("pipelined1", 1, 7L));
    Ppo.train(Tiny.ppo(), spec("local2", 2, null));
    Ppo.train(Tiny.ppo(), spec("pipelined2", 2, 7L));
    Ppo.train(Tiny.ppo(), spec("pipelined2b", 2, 8L));
    List<String> sync = curve(dir.resolve("sync"));
    assertEquals(3, sync.size(), "header and 2 updates: " + sync);
    assertEquals(sync, curve(dir.resolve("pipelined1")), "one group: the synchronous rollout");
    List<String> grouped = curve(dir.resolve("local2"));
    assertEquals(grouped, curve(dir.resolve("pipelined2")), "2 groups, local = pipelined");
    assertEquals(grouped, curve(dir.resolve("pipelined2b")), "whatever order the answers come in");
    assertEquals(
        Files.readString(dir.resolve("local2").resolve(Checkpoint.META)),
        Files.readString(dir.resolve("pipelined2b").resolve(Checkpoint.META)));
  }

  @Test
  void dqnToo() throws IOException {
    DqnConfig c =
        new DqnConfig(4, 2_000, 1e-3, 0.99, 16, 100, 1, 100, 1.0, 0.05, 0.5, true, new int[] {16});
    Dqn.train(c, spec("dsync", 1, null));
    Dqn.train(c, spec("dpipelined1", 1, 7L));
    Dqn.train(c, spec("dlocal2", 2, null));
    Dqn.train(c, spec("dpipelined2", 2, 8L));
    assertEquals(
        Files.readString(dir.resolve("dsync").resolve(Checkpoint.META)),
        Files.readString(dir.resolve("dpipelined1").resolve(Checkpoint.META)));
    assertEquals(curve(dir.resolve("dsync")), curve(dir.resolve("dpipelined1")));
    assertEquals(curve(dir.resolve("dlocal2")), curve(dir.resolve("dpipelined2")));
    assertEquals(
        Files.readString(dir.resolve("dlocal2").resolve(Checkpoint.META)),
        Files.readString(dir.resolve("dpipelined2").resolve(Checkpoint.META)));
  }

  @Test
  void groupsMustFitTheEnvs() {
    assertThrows(IllegalArgumentException.class, () -> Tiny.spec(3, 64, null).withRolloutGroups(0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Ppo.train(Tiny.ppo(), Tiny.spec(3, 64, null).withRolloutGroups(5)));
    assertEquals("rollout groups: expected 1..4 (the number of envs), got 5", e.getMessage());
  }
}
