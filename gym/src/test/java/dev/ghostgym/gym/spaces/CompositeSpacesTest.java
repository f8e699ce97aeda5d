package dev.ghostgym.gym.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CompositeSpacesTest {
  private final Dict dict =
      Dict.builder().put("remaining", new Discrete(11)).put("noise", new Box(0f, 1f, 2)).build();

  /**
   * Shaped like SeedCompat's observation: a Tuple of event Dicts with a nested run-queue Tuple of
   * Dicts.
   */
  private static Tuple seedCompatLike(int cutoff, int cpus) {
    List<Space<?>> rows = new ArrayList<>();
    for (int i = 0; i < cutoff; i++) {
      rows.add(
          Dict.builder()
              .put("run_state", new Discrete(4))
              .put("cpu_num", new Discrete(cpus))
              .put("preempted", new Discrete(2))
              .put("utime", new Box(0f, 16f, 1))
              .build());
    }
    Dict event =
        Dict.builder()
            .put("callback_type", new Discrete(8))
            .put("task_metrics", new Box(0f, 16f, 7))
            .put("runqueue", new Tuple(rows))
            .build();
    return new Tuple(event, event, event);
  }

  @Test
  void dictKeepsInsertionOrderAndPrintsLikeGymnasium() {
    assertEquals(
        "Dict('remaining': Discrete(11), 'noise': Box(0.0, 1.0, (2,), float32))", dict.toString());
    assertEquals(
        List.of("remaining", "noise"),
        new ArrayList<>(dict.sample(new SplittableRandom(1)).keySet()));
    assertEquals(new Discrete(11), dict.get("remaining"));
    assertEquals(
        "no key 'x' in Dict; keys are [remaining, noise]",
        assertThrows(IllegalArgumentException.class, () -> dict.get("x")).getMessage());
  }

  @Test
  void dictContainsNeedsTheSameKeysInAnyOrderAndNamesTheFailingPath() {
    Map<String, Object> value = new HashMap<>();
    value.put("noise", new float[] {0.5f, 0.5f});
    value.put("remaining", 3);
    assertTrue(dict.contains(value));
    value.put("extra", 1);
    assertEquals(
        "Map with keys [extra, noise, remaining] is not in "
            + dict
            + ": expected keys [remaining, noise]",
        dict.mismatch(value));
    value.remove("extra");
    value.put("remaining", 11);
    assertEquals("['remaining']: 11 is not in Discrete(11)", dict.mismatch(value));
    assertFalse(dict.contains(List.of(3, new float[2])));

    Tuple nested = seedCompatLike(4, 8);
    List<Object> sample = nested.sample(new SplittableRandom(2));
    assertNull(nested.mismatch(sample));
    Map<String, Object> event = new LinkedHashMap<>(castMap(sample.get(1)));
    List<Object> rows = new ArrayList<>(castList(event.get("runqueue")));
    Map<String, Object> row = new LinkedHashMap<>(castMap(rows.get(2)));
    row.put("cpu_num", 9);
    rows.set(2, row);
    event.put("runqueue", rows);
    List<Object> broken = new ArrayList<>(sample);
    broken.set(1, event);
    assertEquals("[1]['runqueue'][2]['cpu_num']: 9 is not in Discrete(8)", nested.mismatch(broken));
  }

  @Test
  void dictFlattensInKeyOrderAndRoundTrips() {
    Map<String, Object> value = Map.of("noise", new float[] {0.25f, 0.5f}, "remaining", 2);
    float[] flat = dict.flatten(value);
    assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0.25f, 0.5f}, flat);
    assertEquals(13, dict.flatDim());
    Map<String, Object> back = dict.unflatten(flat);
    assertTrue(Values.deepEquals(value, back));
    assertEquals(List.of("remaining", "noise"), new ArrayList<>(back.keySet()));
    Box fs = dict.flattenSpace();
    assertEquals(13, fs.size());
    assertEquals(1f, fs.high(12));
    assertEquals(
        "cannot flatten ['remaining']: cannot flatten 12: not in Discrete(11)",
        assertThrows(
                IllegalArgumentException.class,
                () -> dict.flatten(Map.of("noise", new float[2], "remaining", 12)))
            .getMessage());
  }

  @Test
  void dictMasksApplyPerKey() {
    Dict d =
        Dict.builder()
            .put("a", new Discrete(3))
            .put("b", new MultiBinary(2))
            .put("c", new Box(0f, 1f, 1))
            .build();
    Map<String, Object> mask = new HashMap<>();
    mask.put("a", new boolean[] {false, true, false});
    mask.put("b", new int[] {1, 0});
    mask.put("c", null);
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 20; i++) {
      Map<String, Object> x = d.sample(rng, mask);
      assertEquals(1, x.get("a"));
      assertArrayEquals(new int[] {1, 0}, (int[]) x.get("b"));
      assertTrue(d.contains(x));
    }
    assertThrows(IllegalArgumentException.class, () -> d.sample(rng, Map.of("a", new boolean[3])));
  }

  @Test
  void tuplePrintsFlattensMasksAndChecks() {
    Tuple t = new Tuple(new Discrete(2), new MultiBinary(3));
    assertEquals("Tuple(Discrete(2), MultiBinary(3))", t.toString());
    assertArrayEquals(new float[] {0, 1, 1, 0, 1}, t.flatten(List.of(1, new int[] {1, 0, 1})));
    assertTrue(
        Values.deepEquals(
            List.of(1, new int[] {1, 0, 1}), t.unflatten(new float[] {0, 1, 1, 0, 1})));
    assertEquals("[0]: 2 is not in Discrete(2)", t.mismatch(List.of(2, new int[3])));
    assertEquals(
        "List of 1 elements is not in Tuple(Discrete(2), MultiBinary(3)): expected 2",
        t.mismatch(List.of(1)));
    List<Object> x =
        t.sample(new SplittableRandom(4), new Object[] {new byte[] {1, 0}, new byte[] {2, 1, 0}});
    assertEquals(0, x.get(0));
    assertEquals(1, ((int[]) x.get(1))[1]);
    assertEquals(new Tuple(new Discrete(2), new MultiBinary(3)), t);
    assertNotEquals(new Tuple(new MultiBinary(3), new Discrete(2)), t);
  }

  @Test
  void nestedSpacesRoundTripThroughFlatten() {
    Tuple nested = seedCompatLike(8, 4);
    int perRow = 4 + 4 + 2 + 1;
    assertEquals(3 * (8 + 7 + 8 * perRow), nested.flatDim());
    assertEquals(nested.flatDim(), nested.flattenSpace().size());
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 50; i++) {
      List<Object> x = nested.sample(rng);
      float[] flat = nested.flatten(x);
      assertTrue(nested.flattenSpace().contains(flat));
      assertNull(Values.firstDifference(x, nested.unflatten(flat)));
    }
  }

  @Test
  void compositeSeedingSeedsSubspacesReproducibly() {
    Tuple nested = seedCompatLike(2, 4);
    nested.seed(9L);
    List<Object> a = List.of(nested.sample(), nested.sample());
    nested.seed(9L);
    List<Object> b = List.of(nested.sample(), nested.sample());
    assertTrue(Values.deepEquals(a, b));
    nested.seed(10L);
    assertFalse(Values.deepEquals(a, List.of(nested.sample(), nested.sample())));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> castList(Object o) {
    return (List<Object>) o;
  }

  @Test
  void samplesAreUnmodifiable() {
    Map<String, Object> x = dict.sample(new SplittableRandom(6));
    assertThrows(UnsupportedOperationException.class, () -> x.put("remaining", 1));
    List<Object> t = new Tuple(new Discrete(2)).sample(new SplittableRandom(7));
    assertThrows(UnsupportedOperationException.class, () -> t.set(0, 1));
  }
}
