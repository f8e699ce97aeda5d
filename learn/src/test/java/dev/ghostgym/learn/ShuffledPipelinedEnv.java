package dev.ghostgym.learn;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.Gym;
import dev.ghostgym.gym.Step;
import dev.ghostgym.gym.spaces.Space;
import dev.ghostgym.gym.vector.PipelinedVectorEnv;
import dev.ghostgym.gym.vector.SyncVectorEnv;
import dev.ghostgym.gym.vector.VectorReset;
import dev.ghostgym.gym.vector.VectorStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A local {@link PipelinedVectorEnv} whose answers come back in a shuffled order and in chunks of
 * random size, as a cluster's may: single envs with next-step autoreset, stepped when sent.
 */
final class ShuffledPipelinedEnv implements PipelinedVectorEnv<Map<String, Object>> {
  private final SyncVectorEnv<Map<String, Object>, Integer> sync;
  private final List<Env<Map<String, Object>, Integer>> envs = new ArrayList<>();
  private final boolean[] autoreset;
  private final List<Object[]> ready = new ArrayList<>(); // {envId, Step}
  private final SplittableRandom order;

  @SuppressWarnings("unchecked")
  ShuffledPipelinedEnv(String id, Map<String, Object> options, int n, long orderSeed) {
    List<Supplier<Env<Map<String, Object>, Integer>>> fns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Env<Map<String, Object>, Integer> e =
          (Env<Map<String, Object>, Integer>) (Env<?, ?>) Gym.make(id, options);
      envs.add(e);
      fns.add(() -> e);
    }
    sync = new SyncVectorEnv<>(fns); // reset and spaces through the same env objects
    autoreset = new boolean[n];
    order = new SplittableRandom(orderSeed);
  }

  @Override
  public int numEnvs() {
    return envs.size();
  }

  @Override
  public Space<Map<String, Object>> singleObservationSpace() {
    return sync.singleObservationSpace();
  }

  @Override
  public Space<Integer> singleActionSpace() {
    return sync.singleActionSpace();
  }

  @Override
  public VectorReset<Map<String, Object>> resetAll(Long seed, Map<String, Object> options) {
    java.util.Arrays.fill(autoreset, false);
    return sync.resetAll(seed, options);
  }

  @Override
  public VectorStep<Map<String, Object>> step(Object[] actions) {
    throw new UnsupportedOperationException("this test env only steps through send/recv");
  }

  @Override
  public void send(int[] actions, int[] envIds, int count) {
    for (int k = 0; k < count; k++) {
      int i = envIds[k];
      Step<Map<String, Object>> s;
      if (autoreset[i]) {
        var r = envs.get(i).reset(null, Map.of());
        s = new Step<>(r.observation(), 0, false, false, r.info());
      } else {
        s = envs.get(i).step(actions[k]);
      }
      autoreset[i] = s.terminated() || s.truncated();
      ready.add(order.nextInt(ready.size() + 1), new Object[] {i, s});
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public Answer<Map<String, Object>> recv() {
    int m = 1 + order.nextInt(ready.size());
    List<Object[]> got = new ArrayList<>(ready.subList(0, m));
    ready.subList(0, m).clear();
    Space<Map<String, Object>> space = singleObservationSpace();
    return new Answer<Map<String, Object>>() {
      private Step<Map<String, Object>> s(int k) {
        return (Step<Map<String, Object>>) got.get(k)[1];
      }

      @Override
      public int size() {
        return got.size();
      }

      @Override
      public int envId(int k) {
        return (Integer) got.get(k)[0];
      }

      @Override
      public Map<String, Object> observation(int k) {
        return s(k).observation();
      }

      @Override
      public float[] flatObservation(int k) {
        return space.flatten(s(k).observation());
      }

      @Override
      public double reward(int k) {
        return s(k).reward();
      }

      @Override
      public boolean terminated(int k) {
        return s(k).terminated();
      }

      @Override
      public boolean truncated(int k) {
        return s(k).truncated();
      }

      @Override
      public Map<String, Object> info(int k) {
        return s(k).info();
      }
    };
  }

  @Override
  public int inFlight() {
    return ready.size();
  }

  @Override
  public void close() {
    sync.close();
  }
}
