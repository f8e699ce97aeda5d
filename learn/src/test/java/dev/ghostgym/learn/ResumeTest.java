package dev.ghostgym.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.sched.GhostEnvs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a run (Ctrl-C) and resuming it gives the model of the run that was never stopped. */
class ResumeTest {
  @TempDir Path dir;

  private static TrainSpec spec(long steps, Path out, boolean resume, BooleanSupplier stop) {
    return new TrainSpec(
        GhostEnvs.PICK_NEXT,
        Tiny.options(),
        7,
        steps,
        out,
        resume,
        0,
        TrainSpec.heldOutSeeds(1),
        null,
        stop);
  }

  /** The CSV without the wall-clock column. */
  private static List<String> curve(Path out) throws IOException {
    return Files.readAllLines(out.resolve(TrainLog.CSV)).stream()
        .map(l -> l.substring(0, l.lastIndexOf(',')))
        .toList();
  }

  /** Asks to stop at the n-th safe point. */
  private static BooleanSupplier stopAt(int n) {
    AtomicInteger asked = new AtomicInteger();
    return () -> asked.incrementAndGet() >= n;
  }

  @Test
  void ppoStoppedAndResumedEqualsTheUninterruptedRun() throws IOException {
    Path a = dir.resolve("a"), b = dir.resolve("b");
    Ppo.train(Tiny.ppo(), spec(1536, a, false, () -> false)); // 3 updates of 4 x 128
    TrainStopped stopped =
        assertThrows(
            TrainStopped.class, () -> Ppo.train(Tiny.ppo(), spec(1536, b, false, stopAt(1))));
    assertEquals(512, stopped.step());
    assertEquals(512, Checkpoint.read(b).steps());
    assertEquals(
        2, Files.readAllLines(b.resolve(TrainLog.CSV)).size(), "header and the one update done");
    assertTrue(
        !java.util.Arrays.equals(
            Files.readAllBytes(a.resolve(Checkpoint.PARAMS)),
            Files.readAllBytes(b.resolve(Checkpoint.PARAMS))),
        "stopped after one update of three");
    TrainResult r = Ppo.train(Tiny.ppo(), spec(1536, b, true, () -> false));
    assertEquals(1536, r.steps());
    assertArrayEquals(
        Files.readAllBytes(a.resolve(Checkpoint.PARAMS)),
        Files.readAllBytes(b.resolve(Checkpoint.PARAMS)));
    assertEquals(curve(a), curve(b));
    try (var states = Files.list(b)) {
      assertEquals(
          List.of("state-1536.bin"),
          states.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("state-")).toList(),
          "older states are deleted");
    }
  }

  @Test
  void dqnStoppedAndResumedEqualsTheUninterruptedRun() throws IOException {
    DqnConfig c =
        new DqnConfig(2, 2_000, 1e-3, 0.99, 16, 100, 1, 100, 1.0, 0.05, 0.5, true, new int[] {16});
    Path a = dir.resolve("a"), b = dir.resolve("b");
    Dqn.train(c, spec(900, a, false, () -> false));
    TrainStopped stopped =
        assertThrows(TrainStopped.class, () -> Dqn.train(c, spec(900, b, false, stopAt(173))));
    assertEquals(346, stopped.step());
    Dqn.train(c, spec(900, b, true, () -> false));
    assertArrayEquals(
        Files.readAllBytes(a.resolve(Checkpoint.PARAMS)),
        Files.readAllBytes(b.resolve(Checkpoint.PARAMS)));
  }

  @Test
  void resumeNeedsARunAndItsState() throws IOException {
    LearnError none =
        assertThrows(
            LearnError.class,
            () -> Ppo.train(Tiny.ppo(), spec(1024, dir.resolve("none"), true, () -> false)));
    assertTrue(none.getMessage().contains("no checkpoint.json"), none.getMessage());
    Path b = dir.resolve("b");
    assertThrows(TrainStopped.class, () -> Ppo.train(Tiny.ppo(), spec(1536, b, false, stopAt(1))));
    byte[] before = Files.readAllBytes(b.resolve(Checkpoint.META));
    Files.delete(b.resolve("state-512.bin"));
    LearnError lost =
        assertThrows(
            LearnError.class, () -> Ppo.train(Tiny.ppo(), spec(1536, b, true, () -> false)));
    assertTrue(
        lost.getMessage().contains("state file state-512.bin is missing"), lost.getMessage());
    assertArrayEquals(
        before, Files.readAllBytes(b.resolve(Checkpoint.META)), "a failed resume changes nothing");
  }

  @Test
  void aModelParamsFromAnUnfinishedSaveIsReplacedByTheStatesCopy() throws IOException {
    Path b = dir.resolve("b");
    assertThrows(TrainStopped.class, () -> Ppo.train(Tiny.ppo(), spec(1536, b, false, stopAt(1))));
    byte[] good = Files.readAllBytes(b.resolve(Checkpoint.PARAMS));
    byte[] other = good.clone();
    other[other.length - 1] ^=
        1; // as if a later save had renamed its model.params and died before checkpoint.json
    Files.write(b.resolve(Checkpoint.PARAMS), other);
    try (LearnedPolicy p = LearnedPolicy.load(b);
        LearnedPolicy q = LearnedPolicy.load(b)) {
      float[][] obs = new float[2][p.checkpoint().obsDim()];
      assertArrayEquals(p.scores(obs)[0], q.scores(obs)[0]);
    }
    ai.djl.nn.Block block = Checkpoint.read(b).newBlock();
    try (var m = Torch.manager()) {
      Nets.initialize(block, m, Checkpoint.read(b).obsDim());
      Checkpoint.loadParams(b, block, m);
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      Nets.save(block, bytes);
      assertArrayEquals(good, bytes.toByteArray());
    }
  }
}
