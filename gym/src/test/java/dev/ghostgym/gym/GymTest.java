package dev.ghostgym.gym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.gym.spaces.Dict;
import dev.ghostgym.gym.spaces.Discrete;
import dev.ghostgym.gym.testenvs.CountdownEnv;
import dev.ghostgym.gym.vector.AsyncVectorEnv;
import dev.ghostgym.gym.vector.SyncVectorEnv;
import dev.ghostgym.gym.vector.VectorEnv;
import dev.ghostgym.gym.vector.VectorStep;
import dev.ghostgym.gym.wrappers.OrderEnforcing;
import dev.ghostgym.gym.wrappers.TimeLimit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GymTest {
  private static final String ID = "gymtest/Countdown-v0";

  @BeforeAll
  static void register() {
    Gym.register(
        EnvSpec.of(ID, CountdownEnv::new)
            .withMaxEpisodeSteps(4)
            .withDefaultOptions(Map.of("max_start", 6)));
    Gym.register(EnvSpec.of("gymtest/Countdown-v2", CountdownEnv::new));
  }

  @AfterAll
  static void unregister() {
    Gym.unregister(ID);
    Gym.unregister("gymtest/Countdown-v2");
  }

  @Test
  void idsParseAsNamespaceNameVersion() {
    assertEquals(new EnvId("ghost", "SeedCompat", 0), EnvId.parse("ghost/SeedCompat-v0"));
    assertEquals(new EnvId(null, "CartPole", 1), EnvId.parse("CartPole-v1"));
    assertEquals(new EnvId(null, "Foo", null), EnvId.parse("Foo"));
    assertEquals(new EnvId("ns", "Pick.Next", 12), EnvId.parse("ns/Pick.Next-v12"));
    assertEquals("ghost/SeedCompat-v0", EnvId.parse("ghost/SeedCompat-v0").toString());
    String msg =
        assertThrows(IllegalArgumentException.class, () -> EnvId.parse("ghost/Seed Compat-v0"))
            .getMessage();
    assertTrue(msg.startsWith("Malformed environment id 'ghost/Seed Compat-v0'"), msg);
    assertThrows(IllegalArgumentException.class, () -> EnvSpec.of("a/b/c-v0", CountdownEnv::new));
    assertThrows(
        IllegalArgumentException.class,
        () -> EnvSpec.of("x-v0", CountdownEnv::new).withMaxEpisodeSteps(0));
  }

  @Test
  void makeMergesOptionsAndWrapsTimeLimitOutsideOrderEnforcing() {
    Env<Map<String, Object>, Integer> env = Gym.make(ID, Map.of("extra", "x"));
    TimeLimit<?, ?> limit = assertInstanceOf(TimeLimit.class, env);
    assertEquals(4, limit.maxEpisodeSteps());
    assertInstanceOf(OrderEnforcing.class, limit.env());
    CountdownEnv inner = assertInstanceOf(CountdownEnv.class, env.unwrapped());
    assertEquals(Map.of("max_start", 6, "extra", "x"), env.spec().defaultOptions());
    assertEquals(4, env.spec().maxEpisodeSteps());
    assertSame(env.spec(), inner.spec());
    assertEquals("<TimeLimit<OrderEnforcing<CountdownEnv<gymtest/Countdown-v0>>>>", env.toString());
    assertEquals(
        new Discrete(7),
        ((Dict) env.observationSpace()).get("remaining"),
        "max_start from the defaults");

    Env<Map<String, Object>, Integer> big = Gym.make(ID, Map.of("max_start", 20), 2);
    assertEquals(20, big.spec().defaultOptions().get("max_start"));
    assertEquals(2, ((TimeLimit<?, ?>) big).maxEpisodeSteps(), "make's limit replaces the spec's");

    Env<Map<String, Object>, Integer> noLimit = Gym.make("gymtest/Countdown-v2");
    assertInstanceOf(OrderEnforcing.class, noLimit);
    assertNull(noLimit.spec().maxEpisodeSteps());
  }

  @Test
  void unknownIdsListTheRegisteredOnesAndSuggestTheClosest() {
    String msg =
        assertThrows(IllegalArgumentException.class, () -> Gym.make("gymtest/Countdwn-v0"))
            .getMessage();
    assertTrue(
        msg.startsWith(
            "Unknown environment id 'gymtest/Countdwn-v0'. Did you mean 'gymtest/Countdown-v0'?"
                + " Registered ids: "),
        msg);
    assertTrue(msg.contains("gymtest/Countdown-v0") && msg.contains("gymtest/Countdown-v2"), msg);

    String version =
        assertThrows(IllegalArgumentException.class, () -> Gym.make("gymtest/Countdown-v1"))
            .getMessage();
    assertTrue(
        version.startsWith(
            "Unknown environment id 'gymtest/Countdown-v1'. 'gymtest/Countdown' is registered"
                + " with versions v0, v2. Did you mean 'gymtest/Countdown-v0'?"),
        version);

    String far =
        assertThrows(IllegalArgumentException.class, () -> Gym.make("zzzzzzzzzzzzzzzzzzzzzzzz"))
            .getMessage();
    assertTrue(!far.contains("Did you mean") && far.contains("Registered ids: "), far);
  }

  @Test
  void registryListsSpecsInRegistrationOrderAndReplacesDuplicates() {
    List<String> ids = List.copyOf(Gym.registry().keySet());
    assertTrue(ids.indexOf(ID) < ids.indexOf("gymtest/Countdown-v2"));
    assertThrows(UnsupportedOperationException.class, () -> Gym.registry().clear());
    Gym.register(EnvSpec.of("gymtest/Dup-v0", CountdownEnv::new));
    Gym.register(EnvSpec.of("gymtest/Dup-v0", CountdownEnv::new).withMaxEpisodeSteps(9));
    assertEquals(9, Gym.spec("gymtest/Dup-v0").maxEpisodeSteps());
    assertTrue(Gym.unregister("gymtest/Dup-v0"));
  }

  @Test
  void makeVecBuildsSyncAndAsyncVectorsOfMadeEnvs() {
    try (VectorEnv<Map<String, Object>, Integer> sync =
            Gym.makeVec(ID, 3, Map.of(), Gym.VectorizationMode.SYNC);
        VectorEnv<Map<String, Object>, Integer> async =
            Gym.makeVec(ID, 3, Map.of(), Gym.VectorizationMode.ASYNC)) {
      assertInstanceOf(SyncVectorEnv.class, sync);
      assertInstanceOf(AsyncVectorEnv.class, async);
      assertEquals(sync.resetAll(4L), async.resetAll(4L));
      for (int t = 0; t < 10; t++) {
        VectorStep<Map<String, Object>> a = sync.step(new int[3]);
        assertEquals(a, async.step(new int[3]));
        if (t == 3) {
          assertTrue(
              a.truncated()[0] || a.terminated()[0], "TimeLimit(4) of make applies to each env");
        }
      }
    }
  }

  @Test
  void envSeedingFollowsGymnasium() {
    CountdownEnv env = new CountdownEnv(Map.of());
    assertNull(env.npRandomSeed());
    Reset<Map<String, Object>> a = env.reset(5);
    assertEquals(5L, env.npRandomSeed());
    Reset<Map<String, Object>> next = env.reset();
    assertEquals(5L, env.npRandomSeed(), "a null seed continues the generator");
    assertEquals(a, env.reset(5), "records compare arrays by content");
    assertTrue(next.observation() != null);
    assertThrows(IllegalArgumentException.class, () -> env.reset(-1));
    assertEquals("<CountdownEnv instance>", env.toString());
  }
}
