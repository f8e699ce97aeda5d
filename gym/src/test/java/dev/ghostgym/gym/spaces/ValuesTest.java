package dev.ghostgym.gym.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {
  @Test
  void comparesNestedArraysByContentAndNamesTheFirstDifference() {
    Map<String, Object> a = Map.of("q", List.of(Map.of("x", new float[] {1f, 2f})), "n", 3);
    Map<String, Object> b = Map.of("n", 3, "q", List.of(Map.of("x", new float[] {1f, 2f})));
    assertTrue(Values.deepEquals(a, b));
    Map<String, Object> c = Map.of("n", 3, "q", List.of(Map.of("x", new float[] {1f, 2.5f})));
    assertEquals("['q'][0]['x'][1]: 2.0 vs 2.5", Values.firstDifference(a, c));
    assertEquals(": 3 vs 4", Values.firstDifference(3, 4));
    assertEquals(": length 2 vs 3", Values.firstDifference(new int[2], new int[3]));
    assertEquals(": float[] vs int[]", Values.firstDifference(new float[2], new int[2]));
    assertTrue(Values.deepEquals(new float[] {Float.NaN}, new float[] {Float.NaN}), "same bits");
    assertFalse(Values.deepEquals(new float[] {0f}, new float[] {-0f}));
  }

  @Test
  void deepCopySharesNoArrays() {
    float[] arr = {1f, 2f};
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    m.put("a", arr);
    m.put("b", List.of(new int[] {7}));
    Object copy = Values.deepCopy(m);
    arr[0] = 9f;
    ((int[]) ((List<?>) m.get("b")).get(0))[0] = 8;
    assertEquals("{a=[1.0, 2.0], b=[[7]]}", Values.toString(copy));
    assertNull(Values.firstDifference(copy, Values.deepCopy(copy)));
  }
}
