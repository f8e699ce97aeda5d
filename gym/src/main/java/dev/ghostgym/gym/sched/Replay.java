package dev.ghostgym.gym.sched;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
  public record Outcome(
      EpisodeLog recorded,
      double replayedReturn,
      Map<String, Object> replayedMetrics,
      List<String> differences) {
    public boolean identical() {
      return differences.isEmpty();
    }
  }

  private Replay() {}

  /**
   * Strict: a missing field, a null or a wrong type is an error, never a default such as seed 0.
   */
  private static final ObjectReader READER =
      RecordEpisode.JSON
          .readerFor(EpisodeLog.class)
          .with(
              DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
              DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
              DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
              DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * Reads an episode log. A file that cannot be read is an {@link UncheckedIOException}; one that
   * is not a complete episode log (empty, truncated, another format, a field missing or of the
   * wrong type) an {@link IllegalArgumentException}; both with one line naming the file.
   */
  public static EpisodeLog read(Path file) {
    if (Files.isDirectory(file))
      throw new IllegalArgumentException(
          file + ": is a directory; expected an episode-N.json file");
    if (!Files.isReadable(file)) {
      throw new UncheckedIOException(
          file
              + ": cannot read ("
              + (Files.exists(file) ? "permission denied" : "no such file")
              + ")",
          new IOException("unreadable"));
    }
    EpisodeLog log;
    try {
      log = READER.readValue(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          file
              + ": not a complete episode log ("
              + e.getOriginalMessage().lines().findFirst().orElse("")
              + ")",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (log == null) throw new IllegalArgumentException(file + ": empty; expected an episode log");
    if (log.actions().contains(null))
      throw new IllegalArgumentException(file + ": actions: null entry");
    return log;
  }

  /** The actions must lie in the environment's action space (checked before anything runs). */
  @SuppressWarnings("unchecked")
  public static void checkActions(EpisodeLog log) {
    try (Env<Object, Integer> env =
        (Env<Object, Integer>) (Env<?, ?>) Gym.make(log.env(), log.options())) {
      for (int i = 0; i < log.actions().size(); i++) {
        if (!env.actionSpace().contains(log.actions().get(i))) {
          throw new IllegalArgumentException(
              "actions["
                  + i
                  + "]: "
                  + log.actions().get(i)
                  + " is outside the action space "
                  + env.actionSpace()
                  + " of "
                  + log.env());
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  public static Outcome run(EpisodeLog log) {
    List<String> diff = new ArrayList<>();
    if (!EpisodeLog.hash(log.options()).equals(log.optionsSha256())) {
      diff.add("options_sha256: the options in the log do not hash to " + log.optionsSha256());
    }
    Env<Object, Integer> env =
        (Env<Object, Integer>) (Env<?, ?>) Gym.make(log.env(), log.options());
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
    if (i != log.actions().size())
      diff.add("steps: episode ended after " + i + " of " + log.actions().size() + " actions");
    if (Double.compare(ret, log.episodeReturn()) != 0)
      diff.add("return: recorded " + log.episodeReturn() + ", replayed " + ret);
    for (Map.Entry<String, Object> e : log.metrics().entrySet()) {
      Object now = metrics.get(e.getKey());
      if (!String.valueOf(e.getValue()).equals(String.valueOf(now))) {
        diff.add("metrics." + e.getKey() + ": recorded " + e.getValue() + ", replayed " + now);
      }
    }
    return new Outcome(log, ret, metrics, diff);
  }
}
