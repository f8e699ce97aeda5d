package dev.ghostgym.gym.sched;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.wrappers.Wrapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records each episode of a scheduling environment to {@code dir/episode-N.json}: the env id, its
 * options and their hash, the seed, every action, the return and the final metrics (trace hash
 * included). Episodes must be reset with a seed, or they could not be replayed.
 */
public final class RecordEpisode<O> extends Wrapper<O, Integer, O, Integer> {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final List<Integer> actions = new ArrayList<>();
  private Long seed;
  private double episodeReturn;
  private int episodes;
  private Path last;

  public RecordEpisode(Env<O, Integer> env, Path dir) {
    super(env, env.observationSpace(), env.actionSpace());
    this.dir = dir;
  }

  /** The file the last finished episode went to, or null. */
  public Path lastFile() {
    return last;
  }

  @Override
  public Reset<O> reset(Long seed, Map<String, Object> options) {
    if (seed == null)
      throw new IllegalArgumentException(
          "RecordEpisode: reset needs a seed, or the episode cannot be replayed");
    if (options != null && !options.isEmpty()) {
      throw new IllegalArgumentException(
          "RecordEpisode: give options to make(), not to reset(), so they are recorded");
    }
    this.seed = seed;
    actions.clear();
    episodeReturn = 0;
    return env.reset(seed, null);
  }

  @Override
  public Step<O> step(Integer action) {
    Step<O> s = env.step(action);
    actions.add(action);
    episodeReturn += s.reward();
    if (s.terminated() || s.truncated()) write(s);
    return s;
  }

  @SuppressWarnings("unchecked")
  private void write(Step<O> s) {
    Map<String, Object> options =
        new LinkedHashMap<>(env.spec() == null ? Map.of() : env.spec().defaultOptions());
    String id = env.spec() == null ? env.unwrapped().getClass().getSimpleName() : env.spec().id();
    Map<String, Object> metrics = (Map<String, Object>) s.info().getOrDefault("metrics", Map.of());
    EpisodeLog log =
        new EpisodeLog(
            id,
            options,
            EpisodeLog.hash(options),
            seed,
            List.copyOf(actions),
            episodeReturn,
            metrics);
    try {
      Files.createDirectories(dir);
      last = dir.resolve("episode-" + (++episodes) + ".json");
      byte[] bytes = JSON.writeValueAsBytes(log);
      dev.ghostgym.config.AtomicFile.write(
          last, o -> o.write(bytes)); // whole or absent, never half a log
    } catch (IOException e) {
      throw new UncheckedIOException(
          "RecordEpisode: cannot write " + last + ": " + e.getMessage(), e);
    }
  }
}
