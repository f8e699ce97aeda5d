package dev.ghostgym.gym;

import dev.ghostgym.gym.spaces.Space;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A reinforcement-learning environment with Gymnasium 1.x's contract ({@code gymnasium.Env}):
 * {@link #reset(Long, Map)} starts an episode and returns the first observation, {@link #step}
 * applies one action and returns {@link Step} (observation, reward, terminated, truncated, info);
 * every observation lies in {@link #observationSpace()} and every action the env accepts in {@link
 * #actionSpace()}.
 *
 * <p>Seeding, as Gymnasium: {@code reset(seed, ...)} with a non-null seed re-seeds the env's
 * generator {@link #npRandom()} (Gymnasium's {@code np_random}) so that the episode that follows is
 * a function of the seed and the actions; a null seed continues the current generator, so a run is
 * reproducible from its first seed. Implementations call {@link #seedNpRandom(Long)} first in
 * {@code reset} (Gymnasium's {@code super().reset(seed=seed)}) and draw all randomness from {@link
 * #npRandom()}. Options are per-reset settings (Gymnasium's {@code options}); null means none.
 *
 * <p>{@link #close()} releases resources and must be idempotent. An env is used by one thread at a
 * time.
 *
 * @param <O> observation type (a {@link Space} value type)
 * @param <A> action type
 */
public abstract class Env<O, A> implements AutoCloseable {
  private SplittableRandom npRandom;
  private Long npRandomSeed;
  private EnvSpec spec;

  /** Starts an episode; see the class comment for {@code seed}. Options may be null. */
  public abstract Reset<O> reset(Long seed, Map<String, Object> options);

  /**
   * Runs one timestep; calling it after the episode ended (before {@code reset}) is undefined, as
   * in Gymnasium.
   */
  public abstract Step<O> step(A action);

  public abstract Space<O> observationSpace();

  public abstract Space<A> actionSpace();

  /** {@code reset(null, Map.of())}: continues the generator. */
  public final Reset<O> reset() {
    return reset(null, Map.of());
  }

  /** {@code reset(seed, Map.of())}. */
  public final Reset<O> reset(long seed) {
    return reset(seed, Map.of());
  }

  /** Releases resources; a second call does nothing. The default has nothing to release. */
  @Override
  public void close() {}

  /**
   * The spec this env was made from by {@link Gym#make}, with the options actually used; null
   * otherwise.
   */
  public EnvSpec spec() {
    return spec;
  }

  void setSpec(EnvSpec spec) {
    this.spec = spec;
  }

  /** The innermost env under any wrappers (Gymnasium's {@code env.unwrapped}). */
  public Env<?, ?> unwrapped() {
    return this;
  }

  /**
   * The env's generator (Gymnasium's {@code np_random}); created from entropy on first use if no
   * seed was given. Note Java's SplittableRandom, not numpy's PCG64: same seed, different numbers
   * than Python.
   */
  public SplittableRandom npRandom() {
    if (npRandom == null) {
      seedNpRandom(new SplittableRandom().nextLong() >>> 1);
    }
    return npRandom;
  }

  /**
   * The seed {@link #npRandom()} was last created from, or null before first use (Gymnasium's
   * {@code np_random_seed}).
   */
  public Long npRandomSeed() {
    return npRandomSeed;
  }

  /**
   * Gymnasium's {@code super().reset(seed=seed)}: a non-null seed replaces the generator with one
   * seeded by it; null keeps the current one. Seeds must be non-negative, as in Gymnasium.
   */
  protected final void seedNpRandom(Long seed) {
    if (seed == null) {
      return;
    }
    if (seed < 0) {
      throw new IllegalArgumentException("seed must be >= 0, got " + seed);
    }
    npRandom = new SplittableRandom(seed);
    npRandomSeed = seed;
  }

  /**
   * Gymnasium's repr: {@code <CountdownEnv<test/Countdown-v0>>}, or {@code <CountdownEnv instance>}
   * without a spec.
   */
  @Override
  public String toString() {
    EnvSpec s = spec();
    return s == null
        ? "<" + getClass().getSimpleName() + " instance>"
        : "<" + getClass().getSimpleName() + "<" + s.id() + ">>";
  }
}
