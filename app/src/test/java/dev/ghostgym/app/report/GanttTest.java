package dev.ghostgym.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.app.eval.Cell;
import dev.ghostgym.app.eval.Runs;
import dev.ghostgym.app.trace.ScheduleLog;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Gantt chart of seed single_exp: the thread, its 1 ms sleeps, its ten children and the agent.
 */
class GanttTest {
  @Test
  void seedSingleExpShowsThreadSleepsChildrenAndAgent() {
    ScheduleLog[] log = new ScheduleLog[1];
    Runs.run(
        new Cell("seed-single-exp", 2, "fifo", Double.NaN, 1),
        1,
        m -> {
          log[0] = new ScheduleLog(m.cpuCount());
          m.observe(log[0]);
        });
    log[0].finish(log[0].end());
    List<Gantt.Segment> segs = Gantt.segments(log[0], 0, Long.MAX_VALUE);
    Map<String, List<Gantt.Segment>> byLabel =
        segs.stream().collect(Collectors.groupingBy(Gantt.Segment::label));
    List<Gantt.Segment> main = byLabel.get("main-1");
    // main 10 times sleeps 1 ms, spawns a child and runs 10 us: 10 stretches of 100 us in all, each
    // after a sleep (the first one starts 1 ms after main arrived at 0)
    assertEquals(100_000, main.stream().mapToLong(s -> s.end() - s.start()).sum());
    main = main.stream().sorted(Comparator.comparingLong(Gantt.Segment::start)).toList();
    assertEquals(10, main.size());
    long prevEnd = 0;
    for (Gantt.Segment s : main) {
      assertTrue(s.start() - prevEnd >= 1_000_000, "a 1 ms sleep before " + s);
      prevEnd = s.end();
    }
    List<String> children =
        byLabel.keySet().stream().filter(k -> k.startsWith("child-")).sorted().toList();
    assertEquals(10, children.size(), children.toString());
    for (String c : children) {
      assertEquals(100_000, byLabel.get(c).stream().mapToLong(s -> s.end() - s.start()).sum(), c);
    }
    assertTrue(
        byLabel.containsKey("agent") && byLabel.get("agent").size() >= 10,
        byLabel.keySet().toString());
    // nothing overlaps on a CPU
    for (int cpu = 0; cpu < 2; cpu++) {
      final int k = cpu;
      List<Gantt.Segment> lane =
          segs.stream()
              .filter(s -> s.cpu() == k)
              .sorted(Comparator.comparingLong(Gantt.Segment::start))
              .toList();
      for (int i = 1; i < lane.size(); i++)
        assertTrue(lane.get(i).start() >= lane.get(i - 1).end(), "cpu " + k + " at " + i);
    }
    Figure f = Gantt.chart(log[0], 0, log[0].end(), "seed-single-exp", "gantt");
    assertTrue(f.png().length > 1000 && new String(f.svg()).contains("<svg"));
  }
}
