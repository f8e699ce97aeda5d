package dev.ghostgym.gym.spaces;

import java.util.SplittableRandom;

/**
 * A set of values an observation or action can take, as Gymnasium's {@code gymnasium.spaces.Space}:
 * membership ({@link #contains}), sampling ({@link #sample}, with a mask where Gymnasium supports
 * one), seeding and flattening to a {@code float[]}. A space owns a generator used by {@link
 * #sample()} (Gymnasium's {@code space.np_random}); the {@code sample(SplittableRandom)} forms draw
 * from a generator the caller owns instead, which is what deterministic code should use. Spaces are
 * immutable apart from that generator; the generator makes {@link #sample()} unsafe to call from
 * several threads at once.
 *
 * <p>Flattening follows Gymnasium's {@code gymnasium.spaces.utils.flatten}: Discrete is one-hot,
 * MultiDiscrete one-hot per dimension, MultiBinary and Box as they are, Dict and Tuple concatenate
 * their parts in order. Unlike Gymnasium (which keeps int64 for discrete spaces and promotes mixed
 * Dicts to float64), every flat vector here is float32.
 *
 * @param <T> the Java type of the values: Integer (Discrete), float[] (Box), int[] (MultiDiscrete,
 *     MultiBinary), Map&lt;String, Object&gt; (Dict), List&lt;Object&gt; (Tuple)
 */
public abstract class Space<T> {
  private SplittableRandom random;

  /** Whether {@code value} is an element of this space (Gymnasium's {@code space.contains(x)}). */
  public final boolean contains(Object value) {
    return mismatch(value) == null;
  }

  /**
   * Why {@code value} is not in this space, as a sentence naming the part that failed (for example
   * {@code "['runqueue'][2]['cpu_num']: 9 is not in Discrete(8)"}), or null when it is in it.
   */
  public abstract String mismatch(Object value);

  /**
   * A uniformly random element (Box: see {@link Box#sample(SplittableRandom)}) drawn from {@code
   * rng}.
   */
  public abstract T sample(SplittableRandom rng);

  /**
   * A random element drawn from {@code rng} under {@code mask}; a null mask is {@link
   * #sample(SplittableRandom)}. Only Discrete, MultiDiscrete, MultiBinary and (part-wise) Dict and
   * Tuple take masks, as in Gymnasium.
   *
   * @throws UnsupportedOperationException for a non-null mask on a space without masks (Box)
   * @throws IllegalArgumentException for a mask of the wrong type, length or values
   */
  public T sample(SplittableRandom rng, Object mask) {
    if (mask == null) {
      return sample(rng);
    }
    throw new UnsupportedOperationException(this + " does not support sampling with a mask");
  }

  /** A random element from this space's own generator (seed it with {@link #seed(Long)}). */
  public T sample() {
    return sample(generator());
  }

  /**
   * Seeds this space's own generator, as Gymnasium's {@code space.seed(seed)}; a null seed draws
   * one from entropy. Composite spaces seed their parts from seeds drawn from their own generator.
   *
   * @return the seed used
   */
  public long seed(Long seed) {
    long used = seed != null ? seed : new SplittableRandom().nextLong();
    random = new SplittableRandom(used);
    return used;
  }

  /**
   * This space's own generator, seeded from entropy on first use unless {@link #seed(Long)} was
   * called.
   */
  protected final SplittableRandom generator() {
    if (random == null) {
      seed(null);
    }
    return random;
  }

  /** Length of {@link #flatten}'s result (Gymnasium's {@code flatdim}). */
  public abstract int flatDim();

  /** Writes the flat form of {@code value} into {@code out[offset .. offset + flatDim())}. */
  public abstract void flattenInto(T value, float[] out, int offset);

  /**
   * Reads a value from {@code flat[offset .. offset + flatDim())}; inverse of {@link #flattenInto}.
   */
  public abstract T unflattenFrom(float[] flat, int offset);

  /**
   * The Box whose elements are the flat forms of this space's elements (Gymnasium's {@code
   * flatten_space}).
   */
  public abstract Box flattenSpace();

  /** {@code value} as a fresh float vector of length {@link #flatDim()}. */
  public final float[] flatten(T value) {
    float[] out = new float[flatDim()];
    flattenInto(value, out, 0);
    return out;
  }

  /** The value whose flat form is {@code flat}. */
  public final T unflatten(float[] flat) {
    if (flat == null || flat.length != flatDim()) {
      throw new IllegalArgumentException(
          "cannot unflatten a vector of length "
              + (flat == null ? "null" : flat.length)
              + " into "
              + this
              + ": expected length "
              + flatDim());
    }
    return unflattenFrom(flat, 0);
  }

  /**
   * Calls {@code space.flattenInto} on a value whose type was checked by the caller's structure.
   */
  @SuppressWarnings("unchecked")
  static <V> void flattenAny(Space<V> space, Object value, float[] out, int offset) {
    space.flattenInto((V) value, out, offset);
  }
}
