package dev.ghostgym.gym.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recorded episode replays to the same return, metrics and trace; a changed one is caught. */
class ReplayTest {
  @Test
  @SuppressWarnings("unchecked")
  void recordedEpisodeReplaysExactlyAndTamperingIsReported(@TempDir Path dir) {
    Map<String, Object> o =
        Map.of("workload", "rocksdb-shinjuku", "cpus", 2, "tasks", 400, "slice", "30us");
    Env<Map<String, Object>, Integer> env =
        (Env<Map<String, Object>, Integer>) (Env<?, ?>) Gym.make(GhostEnvs.PICK_NEXT, o);
    RecordEpisode<Map<String, Object>> rec = new RecordEpisode<>(env, dir);
    SplittableRandom rng = new SplittableRandom(2);
    Object[] played =
        SchedulingEnvsTest.play(rec, 77, (obs, info) -> SchedulingEnvsTest.randomValid(info, rng));

    EpisodeLog log = Replay.read(rec.lastFile());
    assertEquals(GhostEnvs.PICK_NEXT, log.env());
    assertEquals(77, log.seed());
    assertEquals((int) played[2], log.actions().size());
    assertEquals((double) played[0], log.episodeReturn(), 0.0);
    assertEquals(64, String.valueOf(log.metrics().get("trace_sha256")).length());

    Replay.Outcome same = Replay.run(log);
    assertTrue(same.identical(), same.differences().toString());

    List<Integer> changed = new ArrayList<>(log.actions());
    int i = 0;
    while (changed.get(i) == 16 || changed.get(i) == 0) i++;
    changed.set(i, 0); // the head instead of another valid slot
    EpisodeLog tampered =
        new EpisodeLog(
            log.env(),
            log.options(),
            log.optionsSha256(),
            log.seed(),
            changed,
            log.episodeReturn(),
            log.metrics());
    Replay.Outcome other = Replay.run(tampered);
    assertFalse(other.identical());
    assertTrue(
        other.differences().stream().anyMatch(d -> d.startsWith("metrics.trace_sha256")),
        other.differences().toString());

    assertThrows(
        IllegalArgumentException.class, () -> rec.reset(null, null), "recording needs a seed");
  }
}
