package dev.ghostgym.live;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The JVM's own stops while agents run: every GC pause ({@code jdk.GCPhasePause}) and every
 * safepoint (from {@code jdk.SafepointBegin} to the matching {@code jdk.SafepointEnd}, with the
 * time it took to bring all threads to it), recorded by a JDK Flight Recorder recording that holds
 * only those events, and read back with {@code jdk.jfr.consumer} when the run ends. Any of these
 * stops every agent thread: on a real kernel, a pause is time during which no scheduling decision
 * is made on any enclave CPU.
 */
public final class JvmPauses implements AutoCloseable {
  /** Count, total and worst of one kind of stop, in milliseconds. */
  public record Stops(long count, double totalMs, double maxMs) {
    static final Stops NONE = new Stops(0, 0, 0);
  }

  /**
   * @param collectors the garbage collectors' MXBean names (which collector runs)
   * @param gcPauses every GC pause
   * @param safepoints every safepoint, begin to end (GC pauses are among them)
   * @param timeToSafepoint the part of each safepoint spent bringing the threads to it
   * @param error why nothing was recorded, or null
   */
  public record Report(
      List<String> collectors,
      Stops gcPauses,
      Stops safepoints,
      Stops timeToSafepoint,
      String error) {}

  private final Recording recording;
  private final String error;
  private Report report;

  private JvmPauses(Recording recording, String error) {
    this.recording = recording;
    this.error = error;
  }

  /** Starts recording; if the JVM has no flight recorder, the report says so. */
  public static JvmPauses start() {
    try {
      Recording r = new Recording();
      r.setName("ghost-gym-pauses");
      r.enable("jdk.GCPhasePause").withoutThreshold();
      r.enable("jdk.SafepointBegin").withoutThreshold();
      r.enable("jdk.SafepointEnd").withoutThreshold();
      r.setToDisk(true);
      r.start();
      return new JvmPauses(r, null);
    } catch (RuntimeException | Error e) {
      return new JvmPauses(null, "no flight recorder: " + e);
    }
  }

  /** Stops recording (once) and returns what it saw. */
  public synchronized Report report() {
    if (report != null) return report;
    List<String> collectors = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
      collectors.add(gc.getName());
    if (recording == null) {
      report = new Report(collectors, Stops.NONE, Stops.NONE, Stops.NONE, error);
      return report;
    }
    Path file = null;
    try {
      recording.stop();
      file = Files.createTempFile("ghost-gym-pauses", ".jfr");
      recording.dump(file);
      report = read(collectors, RecordingFile.readAllEvents(file));
    } catch (IOException | RuntimeException e) {
      report = new Report(collectors, Stops.NONE, Stops.NONE, Stops.NONE, e.toString());
    } finally {
      recording.close();
      if (file != null) file.toFile().delete();
    }
    return report;
  }

  static Report read(List<String> collectors, List<RecordedEvent> events) {
    Tally gc = new Tally();
    Tally sync = new Tally();
    Tally safepoints = new Tally();
    // Paired by id, whatever order the file holds them in: {start of begin, end of begin, end}.
    Map<Long, long[]> byId = new HashMap<>();
    for (RecordedEvent e : events) {
      String type = e.getEventType().getName();
      if (type.equals("jdk.GCPhasePause")) {
        gc.add(e.getDuration().toNanos());
      } else if (type.equals("jdk.SafepointBegin") || type.equals("jdk.SafepointEnd")) {
        long[] t = byId.computeIfAbsent(e.getLong("safepointId"), k -> new long[] {-1, -1, -1});
        if (type.equals("jdk.SafepointBegin")) {
          t[0] = nanos(e.getStartTime());
          t[1] = nanos(e.getEndTime());
        } else {
          t[2] = nanos(e.getEndTime());
        }
      }
    }
    // Only a safepoint whose begin and end are both in the recording counts, its time to
    // safepoint with it: a begin without its end (the recording stopped inside it) would report a
    // time to safepoint longer than any safepoint.
    for (long[] t : byId.values()) {
      if (t[0] < 0 || t[2] < 0) continue;
      safepoints.add(Math.max(t[1], t[2]) - t[0]);
      sync.add(t[1] - t[0]);
    }
    return new Report(collectors, gc.stops(), safepoints.stops(), sync.stops(), null);
  }

  private static long nanos(java.time.Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static final class Tally {
    long count;
    long total;
    long max;

    void add(long ns) {
      count++;
      total += Math.max(0, ns);
      max = Math.max(max, ns);
    }

    Stops stops() {
      return new Stops(count, total / 1e6, max / 1e6);
    }
  }

  @Override
  public void close() {
    report();
  }
}
