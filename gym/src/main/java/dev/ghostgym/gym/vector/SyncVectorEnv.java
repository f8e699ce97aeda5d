package dev.ghostgym.gym.vector;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.spaces.Space;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Steps its sub-envs one after another on the calling thread (Gymnasium's {@code SyncVectorEnv}),
 * with next-step autoreset (see {@link VectorEnv}) unless made with {@link
 * AutoresetMode#SAME_STEP}. The envs are made by the factories, in order, in the constructor.
 */
public final class SyncVectorEnv<O, A> implements VectorEnv<O, A> {
  private final EnvSlots<O, A> slots;
  private boolean closed;

  public SyncVectorEnv(List<? extends Supplier<? extends Env<O, A>>> envFns) {
    this(envFns, AutoresetMode.NEXT_STEP);
  }

  /** Envs made by {@code envFns}, reset after their episode ends as {@code mode} says. */
  public SyncVectorEnv(List<? extends Supplier<? extends Env<O, A>>> envFns, AutoresetMode mode) {
    this.slots = new EnvSlots<>(envFns);
    slots.autoresetMode(mode);
    try {
      slots.createRange(0, slots.size());
      slots.checkSpaces();
    } catch (RuntimeException e) {
      slots.closeRange(0, slots.size());
      throw e;
    }
  }

  /** The sub-envs, index i for env i (Gymnasium's {@code SyncVectorEnv.envs}). */
  public List<Env<O, A>> envs() {
    return slots.envs();
  }

  @Override
  public int numEnvs() {
    return slots.size();
  }

  @Override
  public Space<O> singleObservationSpace() {
    return slots.env(0).observationSpace();
  }

  @Override
  public Space<A> singleActionSpace() {
    return slots.env(0).actionSpace();
  }

  @Override
  public AutoresetMode autoresetMode() {
    return slots.autoresetMode();
  }

  @Override
  public VectorReset<O> resetAll(Long seed, Map<String, Object> options) {
    slots.prepareReset(seed, options);
    slots.resetRange(0, slots.size());
    return slots.resetResult();
  }

  @Override
  public VectorStep<O> step(Object[] actions) {
    slots.prepareStep(actions);
    slots.stepRange(0, slots.size());
    return slots.stepResult();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException e = slots.closeRange(0, slots.size());
    if (e != null) {
      throw e;
    }
  }
}
