package dev.ghostgym.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Runs the command in-process and captures what it prints. */
record Cli(int code, String out, String err) {
  static synchronized Cli run(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Cli(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /**
   * The command in a child JVM with this test's class path (for tests that send it real signals),
   * with {@code jvmOptions} before the class path.
   */
  static ProcessBuilder child(List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  /** The value of a top-level scalar key in the JSON report. */
  String field(String key) {
    var m = Pattern.compile("\\n  \"" + key + "\": \"?([^\",\\n]*)\"?,?\\n").matcher(out);
    if (!m.find()) throw new AssertionError("no key " + key + " in:\n" + out);
    return m.group(1);
  }
}
