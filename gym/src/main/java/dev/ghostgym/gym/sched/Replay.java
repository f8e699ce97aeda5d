package dev.ghostgym.gym.sched;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a recorded episode again from its log and checks that it is the same episode: same options
 * (hash), same number of steps, same return, same final metrics and trace hash.
 */
public final class Replay {
  /** What a replay found: the differences, empty when the episode reproduced exactly. */
  public record Outcome(EpisodeLog recorded, double replayedReturn, Map<String, Object> replayedMetrics,
                        List<String> differences) {
    public boolean identical() { return differences.isEmpty(); }
  }

  private Replay() {}

  public static EpisodeLog read(Path file) {
    try {
      return RecordEpisode.JSON.readValue(file.toFile(), EpisodeLog.class);
    } catch (IOException e) {
      throw new UncheckedIOException("replay: cannot read episode log " + file + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  public static Outcome run(EpisodeLog log) {
    List<String> diff = new ArrayList<>();
    if (!EpisodeLog.hash(log.options()).equals(log.optionsSha256())) {
      diff.add("options_sha256: the options in the log do not hash to " + log.optionsSha256());
    }
    Env<Object, Integer> env = (Env<Object, Integer>) (Env<?, ?>) Gym.make(log.env(), log.options());
    env.reset(log.seed(), null);
    double ret = 0;
    Map<String, Object> metrics = Map.of();
    int i = 0;
    for (; i < log.actions().size(); i++) {
      Step<Object> s = env.step(log.actions().get(i));
      ret += s.reward();
      if (s.terminated() || s.truncated()) {
        metrics = (Map<String, Object>) s.info().getOrDefault("metrics", Map.of());
        i++;
        break;
      }
    }
    env.close();
    if (i != log.actions().size()) diff.add("steps: episode ended after " + i + " of " + log.actions().size() + " actions");
    if (Double.compare(ret, log.episodeReturn()) != 0) diff.add("return: recorded " + log.episodeReturn() + ", replayed " + ret);
    for (Map.Entry<String, Object> e : log.metrics().entrySet()) {
      Object now = metrics.get(e.getKey());
      if (!String.valueOf(e.getValue()).equals(String.valueOf(now))) {
        diff.add("metrics." + e.getKey() + ": recorded " + e.getValue() + ", replayed " + now);
      }
    }
    return new Outcome(log, ret, metrics, diff);
  }
}
