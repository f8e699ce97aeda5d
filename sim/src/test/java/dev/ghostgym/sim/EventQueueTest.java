package dev.ghostgym.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.port.LongMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The agenda and the gtid map against plain reference implementations on random operations. */
class EventQueueTest {

  @Test
  void sameTimeEventsFireInInsertionOrder() {
    EventQueue q = new EventQueue();
    for (int i = 0; i < 5; i++) q.add(100, 0, "e" + i, i);
    q.add(50, 0, "first", 9);
    List<Object> order = new ArrayList<>();
    while (!q.isEmpty()) {
      order.add(q.peekRef());
      q.poll();
    }
    assertEquals(List.of("first", "e0", "e1", "e2", "e3", "e4"), order);
  }

  @Test
  void randomAddsPollsAndCancelsMatchASortedReference() {
    Random rnd = new Random(5);
    EventQueue q = new EventQueue();
    TreeMap<Long, Long> ref = new TreeMap<>(); // (time*1e6+seq) -> arg
    List<int[]> live = new ArrayList<>(); // {handle, key index into keys}
    List<Long> keys = new ArrayList<>();
    long seq = 0;
    for (int step = 0; step < 200_000; step++) {
      int op = rnd.nextInt(10);
      if (op < 5 || q.isEmpty()) {
        long t = rnd.nextInt(1000);
        long key = t * 1_000_000 + seq++;
        int h = q.add(t, 0, null, key);
        ref.put(key, key);
        live.add(new int[] {h, keys.size()});
        keys.add(key);
      } else if (op < 8) {
        long expected = ref.firstKey();
        assertEquals(expected, q.peekArg(), "head at step " + step);
        assertEquals(expected / 1_000_000, q.peekTime());
        ref.remove(expected);
        q.poll();
      } else {
        int[] e = live.remove(rnd.nextInt(live.size()));
        long key = keys.get(e[1]);
        boolean present = ref.remove(key) != null;
        if (present) q.cancel(e[0]);
      }
      assertEquals(ref.size(), q.size());
    }
  }

  @Test
  void longMapAgreesWithHashMap() {
    Random rnd = new Random(3);
    LongMap<Long> m = new LongMap<>();
    HashMap<Long, Long> ref = new HashMap<>();
    for (int i = 0; i < 300_000; i++) {
      long k = 1 + rnd.nextInt(5000);
      switch (rnd.nextInt(3)) {
        case 0 -> {
          m.put(k, k * 3);
          ref.put(k, k * 3);
        }
        case 1 -> assertEquals(ref.remove(k), m.remove(k));
        default -> assertEquals(ref.get(k), m.get(k));
      }
      assertEquals(ref.size(), m.size());
    }
    assertNull(m.get(999_999));
    long[] sum = {0};
    m.forEachValue(v -> sum[0] += v);
    assertEquals(ref.values().stream().mapToLong(Long::longValue).sum(), sum[0]);
    assertTrue(m.size() > 0);
  }
}
