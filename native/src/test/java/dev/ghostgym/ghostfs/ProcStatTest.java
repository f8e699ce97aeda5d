package dev.ghostgym.ghostfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** /proc/[pid]/task/[tid]/stat on this JVM's own threads, and the parser on awkward lines. */
class ProcStatTest {

  private static final long PID = ProcessHandle.current().pid();

  @Test
  void everyThreadOfThisJvmParses() throws Exception {
    List<Long> tids;
    try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
      tids = s.map(p -> Long.parseLong(p.getFileName().toString())).collect(Collectors.toList());
    }
    assertTrue(tids.contains(PID), "the main thread's tid is the pid");
    int cpus = Runtime.getRuntime().availableProcessors();
    int parsed = 0;
    for (long tid : tids) {
      ProcStat st;
      try {
        st = ProcStat.read(PID, tid);
      } catch (IllegalStateException gone) {
        continue; // the thread exited between the listing and the read
      }
      parsed++;
      assertEquals(tid, st.pid());
      assertTrue("RSDTtZXIPKW".indexOf(st.state()) >= 0, "state " + st.state());
      assertTrue(st.vsize() > 0, "vsize " + st.vsize());
      assertTrue(st.rssPages() > 0);
      assertTrue(
          st.processor() >= 0 && st.processor() < Math.max(cpus, 1024),
          "processor " + st.processor());
      assertTrue(st.numThreads() >= 2);
      assertTrue(st.utime() >= 0 && st.stime() >= 0 && st.guestTime() == 0, st.toString());
      assertEquals(0, st.policy(), "SCHED_OTHER on a kernel without ghOSt");
    }
    assertTrue(parsed >= 2, "parsed " + parsed + " threads");
    assertEquals("java", ProcStat.read(PID, PID).comm());
  }

  @Test
  void cpuTimeOfABusyThreadGrows() throws Exception {
    // The tid of the calling thread: /proc/thread-self links to <pid>/task/<tid>.
    Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
    long tid = Long.parseLong(self.getFileName().toString());
    ProcStat before = ProcStat.read(PID, tid);
    assertEquals('R', before.state(), "the reading thread is running");
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long start = mx.getCurrentThreadCpuTime();
    long sink = 0;
    while (mx.getCurrentThreadCpuTime() - start < 300_000_000L) {
      for (int i = 0; i < 100_000; i++) {
        sink += i * 31L ^ sink;
      }
    }
    ProcStat after = ProcStat.read(PID, tid);
    assertTrue(
        after.utime() >= before.utime() && after.stime() >= before.stime(),
        before + " -> " + after);
    long ticks = after.cpuTicks() - before.cpuTicks();
    long expected = 300 * Sys.clockTicksPerSecond() / 1000;
    assertTrue(
        ticks >= expected / 3, "300 ms of CPU showed as " + ticks + " ticks (sink " + sink + ")");
    assertTrue(after.vsize() > 0);
  }

  @Test
  void commWithSpacesAndParenthesesIsSplitAtTheLastParen() {
    String line =
        "4242 (my (odd) ) comm) S 1 4242 4242 0 -1 4194560 1234 0 5 0 250 75 0 0 20 -5 3 0 123456"
            + " 987654321 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
    ProcStat st = ProcStat.parse(line);
    assertEquals(4242, st.pid());
    assertEquals("my (odd) ) comm", st.comm());
    assertEquals('S', st.state());
    assertEquals(1, st.ppid());
    assertEquals(1234, st.minflt());
    assertEquals(5, st.majflt());
    assertEquals(250, st.utime());
    assertEquals(75, st.stime());
    assertEquals(325, st.cpuTicks());
    assertEquals(20, st.priority());
    assertEquals(-5, st.nice());
    assertEquals(3, st.numThreads());
    assertEquals(123456, st.starttime());
    assertEquals(987654321, st.vsize());
    assertEquals(2048, st.rssPages());
    assertEquals(1, st.processor());
    assertEquals(0, st.rtPriority());
    assertEquals(0, st.policy());
    assertEquals(0, st.guestTime());
  }

  @Test
  void guestTimeAndPolicyAreFields43And41() {
    StringBuilder sb = new StringBuilder("7 (vcpu 0) R");
    for (int field = 4; field <= 52; field++) {
      sb.append(' ').append(field * 1000);
    }
    ProcStat st = ProcStat.parse(sb.toString());
    assertEquals(14_000, st.utime());
    assertEquals(15_000, st.stime());
    assertEquals(23_000, st.vsize());
    assertEquals(39_000, st.processor());
    assertEquals(41_000, st.policy());
    assertEquals(43_000, st.guestTime());
  }

  @Test
  void shortOrBrokenLinesAreNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("1 (init) S 0 1 1 0"));
    assertEquals(
        "stat line has 7 fields; expected at least 43 (guest_time is field 43)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("no comm here"));
    assertTrue(e.getMessage().startsWith("stat line has no \"(comm)\""), e.getMessage());
    IllegalStateException gone =
        assertThrows(IllegalStateException.class, () -> ProcStat.read(PID, 999_999_999L));
    assertTrue(
        gone.getMessage().contains("/proc/" + PID + "/task/999999999/stat"), gone.getMessage());
  }
}
