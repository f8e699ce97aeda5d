package dev.ghostgym.ghostfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One line of {@code /proc/<pid>/task/<tid>/stat} (proc(5)), the fields the seed RL scheduler sends
 * (utime, stime, guest_time, vsize) and those an agent needs next to them. Times are in clock ticks
 * ({@link Sys#clockTicksPerSecond()}, usually 100 per second), {@code vsize} and {@code rssPages}
 * as the kernel gives them (bytes, pages). {@code comm} may contain spaces and parentheses, so the
 * line is split at the last ')'.
 *
 * @param pid field 1 (the thread's tid for a task/ path)
 * @param comm field 2 without the parentheses
 * @param state field 3: R, S, D, Z, T, t, X, I ...
 * @param ppid field 4
 * @param minflt field 10
 * @param majflt field 12
 * @param utime field 14, user time in ticks
 * @param stime field 15, system time in ticks
 * @param priority field 18
 * @param nice field 19
 * @param numThreads field 20
 * @param starttime field 22, ticks after boot
 * @param vsize field 23, virtual memory size in bytes
 * @param rssPages field 24
 * @param processor field 39, CPU it last ran on
 * @param rtPriority field 40
 * @param policy field 41 (18 = SCHED_GHOST)
 * @param guestTime field 43, time running a guest's virtual CPU, in ticks
 */
public record ProcStat(
    int pid,
    String comm,
    char state,
    int ppid,
    long minflt,
    long majflt,
    long utime,
    long stime,
    long priority,
    long nice,
    long numThreads,
    long starttime,
    long vsize,
    long rssPages,
    int processor,
    long rtPriority,
    long policy,
    long guestTime) {

  // Fields after the comm are numbered from 3; field n is token n - 3.
  private static final int FIRST_AFTER_COMM = 3;
  private static final int LAST_NEEDED = 43;

  /** The stat line of thread {@code tid} of process {@code pid}. */
  public static ProcStat read(long pid, long tid) {
    return read(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "stat"));
  }

  /**
   * Parses the stat file at {@code file}; IllegalStateException naming it if it is gone (thread
   * exited) or unreadable.
   */
  public static ProcStat read(Path file) {
    String line;
    try {
      line = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read " + file + " (" + e + "); has the thread exited?", e);
    }
    try {
      return parse(line);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses one stat line; IllegalArgumentException naming the field that is missing or malformed.
   */
  public static ProcStat parse(String line) {
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("stat line has no \"(comm)\": " + abbreviate(line));
    }
    String[] f = line.substring(close + 1).trim().split("\\s+");
    int fields = f.length + FIRST_AFTER_COMM - 1;
    if (fields < LAST_NEEDED) {
      throw new IllegalArgumentException(
          "stat line has "
              + fields
              + " fields; expected at least "
              + LAST_NEEDED
              + " (guest_time is field 43)");
    }
    String pid = line.substring(0, open).trim();
    String state = field(f, 3);
    if (state.length() != 1) {
      throw new IllegalArgumentException(
          "stat field 3 (state) is \"" + state + "\"; expected one letter");
    }
    return new ProcStat(
        parseInt(pid, 1),
        line.substring(open + 1, close),
        state.charAt(0),
        parseInt(field(f, 4), 4),
        num(f, 10),
        num(f, 12),
        num(f, 14),
        num(f, 15),
        num(f, 18),
        num(f, 19),
        num(f, 20),
        num(f, 22),
        num(f, 23),
        num(f, 24),
        parseInt(field(f, 39), 39),
        num(f, 40),
        num(f, 41),
        num(f, 43));
  }

  /** User plus system time in ticks. */
  public long cpuTicks() {
    return utime + stime;
  }

  private static String field(String[] f, int n) {
    return f[n - FIRST_AFTER_COMM];
  }

  // Unsigned fields (vsize, times) are parsed unsigned; signed ones (priority, nice) may be
  // negative.
  private static long num(String[] f, int n) {
    String s = field(f, n);
    try {
      return s.startsWith("-") ? Long.parseLong(s) : Long.parseUnsignedLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "stat field " + n + " is \"" + s + "\"; expected an integer");
    }
  }

  private static int parseInt(String s, int n) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "stat field " + n + " is \"" + s + "\"; expected an integer");
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s.strip();
  }
}
