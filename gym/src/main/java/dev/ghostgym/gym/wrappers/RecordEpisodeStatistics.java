package dev.ghostgym.gym.wrappers;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Reset;
import dev.ghostgym.gym.Step;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Adds the episode's statistics to the info of its final step (terminated or truncated), as
 * Gymnasium's {@code RecordEpisodeStatistics}: {@code info["episode"] = {"r": return (Double), "l":
 * length in steps (Integer), "t": wall seconds since reset rounded to microseconds (Double)}}. The
 * last {@code bufferLength} episodes' values are kept in {@link #returnQueue()} etc. The wrapped
 * env's info map is copied, never modified; an info that already has the key is an error, as in
 * Gymnasium.
 */
public final class RecordEpisodeStatistics<O, A> extends Wrapper<O, A, O, A> {
  public static final String DEFAULT_KEY = "episode";

  private final int bufferLength;
  private final String statsKey;
  private final LongSupplier nanoTime;
  private final ArrayDeque<Double> returnQueue = new ArrayDeque<>();
  private final ArrayDeque<Integer> lengthQueue = new ArrayDeque<>();
  private final ArrayDeque<Double> timeQueue = new ArrayDeque<>();
  private double episodeReturn;
  private int episodeLength;
  private long episodeStart;
  private long episodeCount;

  public RecordEpisodeStatistics(Env<O, A> env) {
    this(env, 100, DEFAULT_KEY, System::nanoTime);
  }

  /**
   * With Gymnasium's {@code buffer_length} and {@code stats_key}, and the clock (nanoseconds) to
   * time episodes with.
   */
  public RecordEpisodeStatistics(
      Env<O, A> env, int bufferLength, String statsKey, LongSupplier nanoTime) {
    super(env, env.observationSpace(), env.actionSpace());
    if (bufferLength <= 0) {
      throw new IllegalArgumentException("bufferLength must be positive, got " + bufferLength);
    }
    this.bufferLength = bufferLength;
    this.statsKey = statsKey;
    this.nanoTime = nanoTime;
  }

  @Override
  public Reset<O> reset(Long seed, Map<String, Object> options) {
    Reset<O> r = env.reset(seed, options);
    episodeStart = nanoTime.getAsLong();
    episodeReturn = 0.0;
    episodeLength = 0;
    return r;
  }

  @Override
  public Step<O> step(A action) {
    Step<O> s = env.step(action);
    episodeReturn += s.reward();
    episodeLength++;
    if (!s.done()) {
      return s;
    }
    if (s.info().containsKey(statsKey)) {
      throw new IllegalStateException(
          "RecordEpisodeStatistics: the info of "
              + env
              + " already has the key '"
              + statsKey
              + "'; choose another statsKey");
    }
    double seconds = Math.round((nanoTime.getAsLong() - episodeStart) / 1e3) / 1e6;
    LinkedHashMap<String, Object> stats = new LinkedHashMap<>();
    stats.put("r", episodeReturn);
    stats.put("l", episodeLength);
    stats.put("t", seconds);
    episodeCount++;
    push(returnQueue, episodeReturn);
    push(lengthQueue, episodeLength);
    push(timeQueue, seconds);
    return s.withInfoEntry(statsKey, Collections.unmodifiableMap(stats));
  }

  private <T> void push(ArrayDeque<T> queue, T value) {
    if (queue.size() == bufferLength) {
      queue.removeFirst();
    }
    queue.addLast(value);
  }

  /** Episodes finished since construction. */
  public long episodeCount() {
    return episodeCount;
  }

  /** Returns of the last {@code bufferLength} finished episodes, oldest first. */
  public List<Double> returnQueue() {
    return List.copyOf(returnQueue);
  }

  public List<Integer> lengthQueue() {
    return List.copyOf(lengthQueue);
  }

  public List<Double> timeQueue() {
    return List.copyOf(timeQueue);
  }
}
