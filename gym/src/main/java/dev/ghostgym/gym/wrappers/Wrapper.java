package dev.ghostgym.gym.wrappers;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.EnvSpec;
import dev.ghostgym.gym.spaces.Space;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * An env that wraps another to change one thing (Gymnasium's {@code
 * gymnasium.Wrapper[WrapperObsType, WrapperActType, ObsType, ActType]}). The wrapper's spaces are
 * fixed at construction; spec, generator, {@code unwrapped} and {@code close} pass through to the
 * wrapped env. Subclasses implement {@code reset} and {@code step}; {@link ObservationWrapper},
 * {@link ActionWrapper} and {@link RewardWrapper} do that for the common one-function cases.
 *
 * @param <WO> observation type seen through the wrapper
 * @param <WA> action type accepted by the wrapper
 * @param <O> observation type of the wrapped env
 * @param <A> action type of the wrapped env
 */
public abstract class Wrapper<WO, WA, O, A> extends Env<WO, WA> {
  protected final Env<O, A> env;
  private final Space<WO> observationSpace;
  private final Space<WA> actionSpace;

  protected Wrapper(Env<O, A> env, Space<WO> observationSpace, Space<WA> actionSpace) {
    if (env == null) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " needs an env to wrap, got null");
    }
    this.env = env;
    this.observationSpace = observationSpace;
    this.actionSpace = actionSpace;
  }

  /** The wrapped env (Gymnasium's {@code wrapper.env}). */
  public Env<O, A> env() {
    return env;
  }

  @Override
  public Space<WO> observationSpace() {
    return observationSpace;
  }

  @Override
  public Space<WA> actionSpace() {
    return actionSpace;
  }

  @Override
  public EnvSpec spec() {
    return env.spec();
  }

  @Override
  public Env<?, ?> unwrapped() {
    return env.unwrapped();
  }

  @Override
  public SplittableRandom npRandom() {
    return env.npRandom();
  }

  @Override
  public Long npRandomSeed() {
    return env.npRandomSeed();
  }

  @Override
  public void close() {
    env.close();
  }

  /** Gymnasium's repr: {@code <TimeLimit<OrderEnforcing<CountdownEnv<test/Countdown-v0>>>>}. */
  @Override
  public String toString() {
    return "<" + getClass().getSimpleName() + env + ">";
  }

  /**
   * The outermost wrapper of type {@code type} in the chain starting at {@code env} (itself
   * included).
   */
  public static <W> Optional<W> find(Env<?, ?> env, Class<W> type) {
    Env<?, ?> e = env;
    while (true) {
      if (type.isInstance(e)) {
        return Optional.of(type.cast(e));
      }
      if (!(e instanceof Wrapper<?, ?, ?, ?> w)) {
        return Optional.empty();
      }
      e = w.env;
    }
  }
}
